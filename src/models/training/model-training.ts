/**
 * The training kernel: plain data in, plain data out, no I/O, so it runs the same in the worker
 * thread and in-process (unit tests).
 *
 * The model is item-item: the similarity of two tracks is a blend of how often they share a
 * playlist (cosine of their playlist memberships) and how alike their audio features are. A set of
 * tracks is extended by summing the similarities of each candidate to every track of the set.
 */

/** The features a track is compared by (the same five, and the same rules, as feature recommendations). */
export interface TrainingTrack {
  id: string;
  bpm: number | null;
  energy: number | null;
  danceability: number | null;
  valence: number | null;
  genre: string | null;
}

export interface TrainingData {
  tracks: TrainingTrack[];
  /** Each playlist's track ids in playlist order (ids not in `tracks` are ignored). */
  playlists: string[][];
}

export interface TrainingMetrics {
  /** Share of held-out tracks found in the model's top 10 for the rest of their playlist. */
  hit_rate_at_10: number;
  /** The same, ranking by audio features alone, on the same split. */
  feature_only_hit_rate_at_10: number;
  /** Playlists evaluated (those with at least 2 tracks). */
  playlists: number;
  /** Tracks in the catalogue the model covers. */
  tracks: number;
}

export interface TrainedModel {
  metrics: TrainingMetrics;
  /** For track i, its neighbours are `neighbours[i*k .. i*k+count[i]-1]` (indices into `tracks`), best first. */
  neighbours: Int32Array;
  scores: Float64Array;
  counts: Int32Array;
  /** Neighbours kept per track (`k`). */
  perTrack: number;
}

/** Weight of co-occurrence in the blend; features get the rest (and alone rank tracks never in a playlist). */
export const CO_OCCURRENCE_WEIGHT = 0.8;
/** Neighbours stored per track: the most `/recommendations` can ask for. */
export const NEIGHBOURS_PER_TRACK = 50;
export const HIT_RANK = 10;
/** The least the model trains on: fewer playlists of at least 2 tracks is "Not enough training data". */
export const MIN_TRAINING_PLAYLISTS = 2;
/** Tracks a playlist needs to count: one to hold out, at least one to recommend from. */
export const MIN_PLAYLIST_TRACKS = 2;

export class NotEnoughTrainingDataError extends Error {
  constructor() {
    super('Not enough training data');
    this.name = NotEnoughTrainingDataError.name;
  }
}

const BPM_SPAN = 60;
const UNKNOWN = 0.5;

/** 1 − the mean of five distances in [0, 1]: bpm (60 apart = fully different), energy, danceability, valence, genre. */
export function featureSimilarity(a: TrainingTrack, b: TrainingTrack): number {
  const gap = (x: number | null, y: number | null, span = 1) =>
    x === null || y === null ? UNKNOWN : Math.min(Math.abs(x - y) / span, 1);
  const genre =
    a.genre === null || b.genre === null ? UNKNOWN : a.genre.toLowerCase() === b.genre.toLowerCase() ? 0 : 1;
  const distance =
    gap(a.bpm, b.bpm, BPM_SPAN) +
    gap(a.energy, b.energy) +
    gap(a.danceability, b.danceability) +
    gap(a.valence, b.valence) +
    genre;
  return 1 - distance / 5;
}

/** Sparse co-occurrence cosine: C[i][j] / sqrt(n_i · n_j), from playlists of track indices. */
class CoOccurrence {
  private readonly pairs: Map<number, number>[];
  private readonly memberships: Int32Array;

  constructor(size: number, playlists: readonly number[][]) {
    this.pairs = Array.from({ length: size }, () => new Map<number, number>());
    this.memberships = new Int32Array(size);
    for (const playlist of playlists) {
      for (const i of playlist) this.memberships[i]++;
      for (let x = 0; x < playlist.length; x++) {
        for (let y = x + 1; y < playlist.length; y++) {
          const [i, j] = [playlist[x], playlist[y]];
          this.pairs[i].set(j, (this.pairs[i].get(j) ?? 0) + 1);
          this.pairs[j].set(i, (this.pairs[j].get(i) ?? 0) + 1);
        }
      }
    }
  }

  /** Adds weight · cosine(i, j) to `into[j]` for every j that shares a playlist with i. */
  addTo(into: Float64Array, i: number, weight: number): void {
    for (const [j, count] of this.pairs[i])
      into[j] += (weight * count) / Math.sqrt(this.memberships[i] * this.memberships[j]);
  }
}

interface Kernel {
  tracks: TrainingTrack[];
  coOccurrence: CoOccurrence | null;
}

/** Summed similarity of every track to the tracks of `query` (blended when co-occurrence is given). */
function scoresFor({ tracks, coOccurrence }: Kernel, query: readonly number[]): Float64Array {
  const featureWeight = coOccurrence ? 1 - CO_OCCURRENCE_WEIGHT : 1;
  const scores = new Float64Array(tracks.length);
  for (const q of query) {
    for (let j = 0; j < tracks.length; j++) scores[j] += featureWeight * featureSimilarity(tracks[q], tracks[j]);
    coOccurrence?.addTo(scores, q, CO_OCCURRENCE_WEIGHT);
  }
  return scores;
}

/** Indices of the `k` best scores, best first, leaving out `exclude` (ties: lower index first). */
function topK(scores: Float64Array, k: number, exclude: ReadonlySet<number>): number[] {
  const best: number[] = [];
  for (let j = 0; j < scores.length; j++) {
    if (exclude.has(j)) continue;
    const score = scores[j];
    if (best.length === k && score <= scores[best[k - 1]]) continue;
    let at = best.length;
    while (at > 0 && scores[best[at - 1]] < score) at--;
    best.splice(at, 0, j);
    if (best.length > k) best.pop();
  }
  return best;
}

/** Trains on `data`; `onProgress` receives 0–1 as it goes. Throws {@link NotEnoughTrainingDataError}. */
export function trainModel(data: TrainingData, onProgress: (progress: number) => void = () => undefined): TrainedModel {
  const indexOf = new Map(data.tracks.map((track, i) => [track.id, i]));
  const playlists = data.playlists
    .map((ids) => [...new Set(ids.map((id) => indexOf.get(id)).filter((i): i is number => i !== undefined))])
    .filter((playlist) => playlist.length >= MIN_PLAYLIST_TRACKS);
  if (playlists.length < MIN_TRAINING_PLAYLISTS) throw new NotEnoughTrainingDataError();
  const size = data.tracks.length;

  // Hold-out evaluation: each playlist's last track is hidden from training and must be found
  // from the rest of its playlist, by the blended model and by features alone.
  const training = new CoOccurrence(
    size,
    playlists.map((playlist) => playlist.slice(0, -1)),
  );
  let modelHits = 0;
  let featureHits = 0;
  playlists.forEach((playlist, n) => {
    const query = playlist.slice(0, -1);
    const heldOut = playlist[playlist.length - 1];
    const exclude = new Set(query);
    if (topK(scoresFor({ tracks: data.tracks, coOccurrence: training }, query), HIT_RANK, exclude).includes(heldOut))
      modelHits++;
    if (topK(scoresFor({ tracks: data.tracks, coOccurrence: null }, query), HIT_RANK, exclude).includes(heldOut))
      featureHits++;
    onProgress((0.5 * (n + 1)) / playlists.length);
  });

  // The model itself learns from every playlist in full.
  const kernel = { tracks: data.tracks, coOccurrence: new CoOccurrence(size, playlists) };
  const perTrack = Math.min(NEIGHBOURS_PER_TRACK, size - 1);
  const neighbours = new Int32Array(size * perTrack);
  const scores = new Float64Array(size * perTrack);
  const counts = new Int32Array(size);
  const step = Math.max(1, Math.floor(size / 50));
  for (let i = 0; i < size; i++) {
    const all = scoresFor(kernel, [i]);
    const best = topK(all, perTrack, new Set([i]));
    best.forEach((j, rank) => {
      neighbours[i * perTrack + rank] = j;
      scores[i * perTrack + rank] = all[j];
    });
    counts[i] = best.length;
    if ((i + 1) % step === 0) onProgress(0.5 + (0.5 * (i + 1)) / size);
  }
  const rate = (hits: number) => Math.round((hits / playlists.length) * 1e4) / 1e4;
  return {
    metrics: {
      hit_rate_at_10: rate(modelHits),
      feature_only_hit_rate_at_10: rate(featureHits),
      playlists: playlists.length,
      tracks: size,
    },
    neighbours,
    scores,
    counts,
    perTrack,
  };
}
