import { Injectable } from '@nestjs/common';
import { notFound, validationFailed } from '../common/errors/domain.exception';
import { AudioFeaturesDto } from './dto/audio-features.dto';
import { CreateTrackDto } from './dto/create-track.dto';
import { ListTracksQueryDto } from './dto/list-tracks-query.dto';
import { UpdateTrackDto } from './dto/update-track.dto';
import { ANALYSIS_MEASURES, AUDIO_FEATURES, AudioFeature, Track } from './track.entity';
import { SimilarTrack, TracksRepository } from './tracks.repository';

export interface TrackPage {
  data: Track[];
  total: number;
}

const REQUIRED_FIELDS = ['title', 'artist', 'duration_ms'] as const;

/** Column of each request field that differs from it only by case. */
const FIELD_OF_FEATURE: Record<AudioFeature, keyof AudioFeaturesDto> = {
  bpm: 'bpm',
  energy: 'energy',
  danceability: 'danceability',
  valence: 'valence',
  acousticness: 'acousticness',
  instrumentalness: 'instrumentalness',
  speechiness: 'speechiness',
  liveness: 'liveness',
  loudnessDb: 'loudness_db',
};

/** Each account's catalogue; every query is scoped to the owner of the presented key. */
@Injectable()
export class TracksService {
  constructor(private readonly tracks: TracksRepository) {}

  async list(userId: string, query: ListTracksQueryDto): Promise<TrackPage> {
    const [data, total] = await this.tracks.findPage(userId, query.q, query.limit, query.offset);
    return { data, total };
  }

  async get(userId: string, trackId: string): Promise<Track> {
    const track = await this.tracks.findOwned(userId, trackId);
    if (!track) throw notFound();
    return track;
  }

  create(userId: string, dto: CreateTrackDto): Promise<Track> {
    return this.tracks.insert({ userId, ...this.columnsOf(dto) });
  }

  async update(userId: string, trackId: string, dto: UpdateTrackDto): Promise<Track> {
    const nulls = REQUIRED_FIELDS.filter((field) => dto[field] === null);
    if (nulls.length > 0)
      throw validationFailed(nulls.map((field) => ({ field, message: `${field} must not be null` })));
    const track = await this.get(userId, trackId);
    return this.tracks.save(Object.assign(track, this.columnsOf(dto)));
  }

  async remove(userId: string, trackId: string): Promise<void> {
    if (!(await this.tracks.deleteOwned(userId, trackId))) throw notFound();
  }

  /** Replaces every feature: one left out becomes unknown. */
  async setFeatures(userId: string, trackId: string, dto: AudioFeaturesDto): Promise<Track> {
    const track = await this.get(userId, trackId);
    for (const feature of AUDIO_FEATURES) track[feature] = dto[FIELD_OF_FEATURE[feature]] ?? null;
    for (const measure of ANALYSIS_MEASURES) track[measure] = null;
    track.featuresSource = 'manual';
    return this.tracks.save(track);
  }

  /** The owner's other tracks, most similar to the seed first. */
  async recommend(userId: string, seedTrackId: string, limit: number): Promise<SimilarTrack[]> {
    const seed = await this.get(userId, seedTrackId);
    return this.tracks.mostSimilar(userId, seed, limit);
  }

  /** Entity columns of the fields a request gave (absent ones untouched). */
  private columnsOf(dto: UpdateTrackDto): Partial<Track> {
    const columns: Partial<Track> = {
      title: dto.title,
      artist: dto.artist,
      album: dto.album,
      durationMs: dto.duration_ms,
      genre: dto.genre,
      bpm: dto.bpm,
      energy: dto.energy,
      danceability: dto.danceability,
      valence: dto.valence,
    };
    const setsFeatures = [dto.bpm, dto.energy, dto.danceability, dto.valence].some((value) => value !== undefined);
    if (setsFeatures) columns.featuresSource = 'manual';
    return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
  }
}
