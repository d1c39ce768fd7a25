import { PLANTED, plantedCatalogue } from '../../../test/support/planted-catalogue';
import {
  featureSimilarity,
  NEIGHBOURS_PER_TRACK,
  NotEnoughTrainingDataError,
  trainModel,
  TrainingData,
  TrainingTrack,
} from './model-training';

const track = (id: string, features: Partial<TrainingTrack> = {}): TrainingTrack => ({
  id,
  bpm: null,
  energy: null,
  danceability: null,
  valence: null,
  genre: null,
  ...features,
});

function plantedData(): { data: TrainingData; groupOf: number[] } {
  const { tracks, groupOf, playlists } = plantedCatalogue();
  return {
    data: {
      tracks: tracks.map((t, i) => track(`t${i}`, t)),
      playlists: playlists.map((playlist) => playlist.map((i) => `t${i}`)),
    },
    groupOf,
  };
}

describe(trainModel.name, () => {
  it('beats features alone on playlists planted independently of the features', () => {
    const { data } = plantedData();
    const progress: number[] = [];
    const model = trainModel(data, (value) => progress.push(value));
    expect(model.metrics.playlists).toBe(PLANTED.playlists);
    expect(model.metrics.tracks).toBe(PLANTED.tracks);
    // About 10 in 36 remaining group-mates make the top 10; random features find ~10 in 285.
    expect(model.metrics.hit_rate_at_10).toBeGreaterThan(0.2);
    expect(model.metrics.feature_only_hit_rate_at_10).toBeLessThan(0.1);
    expect(model.metrics.hit_rate_at_10 - model.metrics.feature_only_hit_rate_at_10).toBeGreaterThan(0.15);
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it("ranks a track's group-mates first", () => {
    const { data, groupOf } = plantedData();
    const model = trainModel(data);
    expect(model.perTrack).toBe(NEIGHBOURS_PER_TRACK);
    let sameGroup = 0;
    for (let i = 0; i < PLANTED.tracks; i++) {
      for (let rank = 0; rank < 10; rank++) {
        if (groupOf[model.neighbours[i * model.perTrack + rank]] === groupOf[i]) sameGroup++;
      }
    }
    expect(sameGroup / (PLANTED.tracks * 10)).toBeGreaterThan(0.9);
  });

  it('needs at least 2 playlists of at least 2 known tracks', () => {
    const tracks = [track('a'), track('b'), track('c')];
    expect(() => trainModel({ tracks, playlists: [['a', 'b'], ['c']] })).toThrow(NotEnoughTrainingDataError);
    expect(() =>
      trainModel({
        tracks,
        playlists: [
          ['a', 'b'],
          ['c', 'gone'],
        ],
      }),
    ).toThrow(NotEnoughTrainingDataError);
    expect(
      trainModel({
        tracks,
        playlists: [
          ['a', 'b'],
          ['b', 'c'],
        ],
      }).metrics.playlists,
    ).toBe(2);
  });
});

describe(featureSimilarity.name, () => {
  it('is 1 for equal features, lower as they differ, unknowns counting halfway', () => {
    const a = track('a', { bpm: 120, energy: 0.5, danceability: 0.5, valence: 0.5, genre: 'House' });
    expect(featureSimilarity(a, { ...a, genre: 'house' })).toBe(1);
    expect(featureSimilarity(a, { ...a, bpm: 180, genre: 'jazz' })).toBeCloseTo(0.6);
    expect(featureSimilarity(track('x'), track('y'))).toBeCloseTo(0.5);
  });
});
