import { ApiProperty } from '@nestjs/swagger';
import { TrackResponseDto } from '../../tracks/dto/track-response.dto';
import type { Track } from '../../tracks/track.entity';
import type { CountedPlaylist } from '../playlist.entity';

/** A playlist as lists show it (without its tracks). */
export class PlaylistSummaryDto {
  /** Playlist id. */
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** Name. */
  name: string;
  /** Description; `null` when none. */
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
  /** Number of tracks in it. */
  track_count: number;
  /** When it was made (ISO 8601 UTC). */
  @ApiProperty({ format: 'date-time' })
  created_at: string;
  /** When it or its tracks last changed (ISO 8601 UTC). */
  @ApiProperty({ format: 'date-time' })
  updated_at: string;

  static from({ playlist, trackCount }: CountedPlaylist): PlaylistSummaryDto {
    return {
      id: playlist.id,
      name: playlist.name,
      description: playlist.description,
      track_count: trackCount,
      created_at: playlist.createdAt.toISOString(),
      updated_at: playlist.updatedAt.toISOString(),
    };
  }
}

export class PlaylistResponseDto extends PlaylistSummaryDto {
  /** Its tracks, in playlist order. */
  tracks: TrackResponseDto[];

  static withTracks(counted: CountedPlaylist, tracks: Track[]): PlaylistResponseDto {
    return { ...PlaylistSummaryDto.from(counted), tracks: tracks.map((track) => TrackResponseDto.from(track)) };
  }
}

export class PlaylistListResponseDto {
  /** The page of playlists, newest first. */
  data: PlaylistSummaryDto[];
  /** Your playlists in all. */
  total: number;
  /** Page size used. */
  limit: number;
  /** Playlists skipped. */
  offset: number;
}
