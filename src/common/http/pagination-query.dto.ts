import { ApiProperty } from '@nestjs/swagger';
import { QueryInt } from './query-int.decorator';
import { IsOptional, Max, Min } from 'class-validator';

/** `?limit=` (1–100, default 50) and `?offset=` of a list route; lists answer `{data, total, limit, offset}`. */
export class PaginationQueryDto {
  /** Page size, 1–100. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, default: 50, required: false })
  @IsOptional()
  @QueryInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  /** Items to skip. */
  @ApiProperty({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, required: false })
  @IsOptional()
  @QueryInt()
  @Min(0)
  offset: number = 0;
}
