import { ApiProperty } from '@nestjs/swagger';
import type { Track } from '../track.entity';

export class TrackResponseDto {
  /** Track id. */
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** Title. */
  title: string;
  /** Artist. */
  artist: string;
  /** Album; `null` when unknown. */
  album: string | null;
  /** Length in milliseconds. */
  duration_ms: number;
  /** Genre; `null` when unknown. */
  genre: string | null;
  /** Tempo in BPM; `null` when unknown. */
  bpm: number | null;
  /** 0–1; `null` when unknown. */
  energy: number | null;
  /** 0–1; `null` when unknown. */
  danceability: number | null;
  /** 0–1; `null` when unknown. */
  valence: number | null;
  /** When it was added (ISO 8601 UTC). */
  @ApiProperty({ format: 'date-time' })
  created_at: string;
  /** When it last changed (ISO 8601 UTC). */
  @ApiProperty({ format: 'date-time' })
  updated_at: string;

  static from(track: Track): TrackResponseDto {
    return {
      id: track.id,
      title: track.title,
      artist: track.artist,
      album: track.album,
      duration_ms: track.durationMs,
      genre: track.genre,
      bpm: track.bpm,
      energy: track.energy,
      danceability: track.danceability,
      valence: track.valence,
      created_at: track.createdAt.toISOString(),
      updated_at: track.updatedAt.toISOString(),
    };
  }
}

export class TrackListResponseDto {
  /** The page of tracks, newest first. */
  data: TrackResponseDto[];
  /** Tracks matching the query. */
  total: number;
  /** Page size used. */
  limit: number;
  /** Tracks skipped. */
  offset: number;
}

export class RecommendationDto extends TrackResponseDto {
  /** Similarity to the seed, 0–1 (1 = same features). */
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.92 })
  similarity: number;
}

export class RecommendationsResponseDto {
  /** The track the recommendations are based on. */
  @ApiProperty({ format: 'uuid' })
  seed_track_id: string;
  /** Your other tracks, most similar first. */
  data: RecommendationDto[];
}
