import { PickType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { AudioFeaturesDto } from './audio-features.dto';

export class CreateTrackDto extends PickType(AudioFeaturesDto, ['bpm', 'energy', 'danceability', 'valence'] as const) {
  /** Track title, 1–300 characters. */
  @IsString()
  @Length(1, 300)
  title: string;

  /** Performing artist, 1–300 characters. */
  @IsString()
  @Length(1, 300)
  artist: string;

  /** Album, 1–300 characters. */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  album?: string | null;

  /** Length in milliseconds (1 ms to 24 h). */
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  duration_ms: number;

  /** Genre, 1–100 characters (compared case-insensitively by recommendations). */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  genre?: string | null;
}
