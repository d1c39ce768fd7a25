import { ApiProperty } from '@nestjs/swagger';
import { QueryInt } from '../../common/http/query-int.decorator';
import { IsOptional, IsUUID, Max, Min } from 'class-validator';

export class RecommendationsQueryDto {
  /** One of your tracks to find similar ones to. */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  seed_track_id: string;

  /** How many, 1–50. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 50, default: 10, required: false })
  @IsOptional()
  @QueryInt()
  @Min(1)
  @Max(50)
  limit: number = 10;

  /** One of your succeeded models (`GET /models`) to rank with; absent, feature similarity ranks. */
  @ApiProperty({ format: 'uuid', required: false })
  @IsOptional()
  @IsUUID()
  model_id?: string;
}
