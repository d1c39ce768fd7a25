import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

/** Most entries a playlist holds. */
export const PLAYLIST_MAX_TRACKS = 10_000;

export class CreatePlaylistDto {
  /** Playlist name, 1–100 characters. */
  @IsString()
  @Length(1, 100)
  name: string;

  /** Free text, up to 1000 characters (`null` when absent). */
  @ApiProperty({ type: String, nullable: true, required: false, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;

  /** Your tracks to start with, in playlist order (each at most once, at most 10,000). */
  @ApiProperty({ type: [String], format: 'uuid', required: false, maxItems: PLAYLIST_MAX_TRACKS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PLAYLIST_MAX_TRACKS, { message: `a playlist holds at most ${PLAYLIST_MAX_TRACKS} tracks` })
  @IsUUID('all', { each: true })
  track_ids?: string[];
}
