import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class ListTracksQueryDto {
  /** Case-insensitive search in title, artist and album. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  /** Page size, 1–100. */
  @ApiProperty({ minimum: 1, maximum: 100, default: 50, required: false })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  /** Tracks to skip. */
  @ApiProperty({ minimum: 0, default: 0, required: false })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}
