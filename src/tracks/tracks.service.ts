import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { notFound, validationFailed } from '../common/errors/domain.exception';
import { AudioFeaturesDto } from './dto/audio-features.dto';
import { CreateTrackDto } from './dto/create-track.dto';
import { ListTracksQueryDto } from './dto/list-tracks-query.dto';
import { UpdateTrackDto } from './dto/update-track.dto';
import { AUDIO_FEATURES, AudioFeature, Track } from './track.entity';

export interface TrackPage {
  data: Track[];
  total: number;
}

export interface Recommendation {
  track: Track;
  similarity: number;
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

/**
 * Distance between a track and the seed in [0, 1]: the mean of five per-feature distances (BPM
 * apart by 60 or more counts as fully different; the 0–1 features by their difference; genre
 * same or not). A feature unknown on either side counts as halfway.
 */
const DISTANCE_SQL = `(
  COALESCE(LEAST(ABS(t.bpm - CAST(:bpm AS double precision)) / 60.0, 1), 0.5)
  + COALESCE(ABS(t.energy - CAST(:energy AS double precision)), 0.5)
  + COALESCE(ABS(t.danceability - CAST(:danceability AS double precision)), 0.5)
  + COALESCE(ABS(t.valence - CAST(:valence AS double precision)), 0.5)
  + CASE WHEN t.genre IS NULL OR CAST(:genre AS text) IS NULL THEN 0.5
         WHEN lower(t.genre) = lower(CAST(:genre AS text)) THEN 0 ELSE 1 END
) / 5.0`;

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Each account's catalogue; every query is scoped to the owner of the presented key. */
@Injectable()
export class TracksService {
  constructor(@InjectRepository(Track) private readonly tracks: Repository<Track>) {}

  async list(userId: string, query: ListTracksQueryDto): Promise<TrackPage> {
    const builder = this.tracks.createQueryBuilder('t').where('t.user_id = :userId', { userId });
    if (query.q !== undefined) {
      builder.andWhere(`(t.title ILIKE :q OR t.artist ILIKE :q OR t.album ILIKE :q)`, {
        q: `%${escapeLike(query.q)}%`,
      });
    }
    const [data, total] = await builder
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .limit(query.limit)
      .offset(query.offset)
      .getManyAndCount();
    return { data, total };
  }

  async get(userId: string, trackId: string): Promise<Track> {
    const track = await this.tracks.findOneBy({ id: trackId, userId });
    if (!track) throw notFound();
    return track;
  }

  create(userId: string, dto: CreateTrackDto): Promise<Track> {
    return this.tracks.save(this.tracks.create({ userId, ...this.columnsOf(dto) }));
  }

  async update(userId: string, trackId: string, dto: UpdateTrackDto): Promise<Track> {
    const nulls = REQUIRED_FIELDS.filter((field) => dto[field] === null);
    if (nulls.length > 0)
      throw validationFailed(nulls.map((field) => ({ field, message: `${field} must not be null` })));
    const track = await this.get(userId, trackId);
    return this.tracks.save(this.tracks.merge(track, this.columnsOf(dto)));
  }

  async remove(userId: string, trackId: string): Promise<void> {
    const result = await this.tracks.delete({ id: trackId, userId });
    if (result.affected === 0) throw notFound();
  }

  /** Replaces every feature: one left out becomes unknown. */
  async setFeatures(userId: string, trackId: string, dto: AudioFeaturesDto): Promise<Track> {
    const track = await this.get(userId, trackId);
    for (const feature of AUDIO_FEATURES) track[feature] = dto[FIELD_OF_FEATURE[feature]] ?? null;
    return this.tracks.save(track);
  }

  /** The owner's other tracks, most similar to the seed first. */
  async recommend(userId: string, seedTrackId: string, limit: number): Promise<Recommendation[]> {
    const seed = await this.get(userId, seedTrackId);
    const { entities, raw } = await this.tracks
      .createQueryBuilder('t')
      .addSelect(`1 - ${DISTANCE_SQL}`, 'similarity')
      .where('t.user_id = :userId AND t.id <> :seedId', { userId, seedId: seed.id })
      .setParameters({
        bpm: seed.bpm,
        energy: seed.energy,
        danceability: seed.danceability,
        valence: seed.valence,
        genre: seed.genre,
      })
      .orderBy('similarity', 'DESC')
      .addOrderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit)
      .getRawAndEntities<{ similarity: number | string }>();
    return entities.map((track, i) => ({ track, similarity: Math.round(Number(raw[i].similarity) * 1e4) / 1e4 }));
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
    return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
  }
}
