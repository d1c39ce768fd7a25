import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { PLAYLIST_MAX_TRACKS } from './create-playlist.dto';

export class AddPlaylistTracksDto {
  /** Your tracks to insert, in this order; none may already be in the playlist. */
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: PLAYLIST_MAX_TRACKS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PLAYLIST_MAX_TRACKS, { message: `a playlist holds at most ${PLAYLIST_MAX_TRACKS} tracks` })
  @IsUUID('all', { each: true })
  track_ids: string[];

  /**
   * 0-based index the first inserted track takes; the tracks from there on move back. Absent, or
   * beyond the end, means at the end.
   */
  @ApiProperty({ minimum: 0, required: false })
  @IsOptional()
  @IsInt()
  @Min(0)
  position?: number;
}
