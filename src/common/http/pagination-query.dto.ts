import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?limit=` (1–100, default 50) and `?offset=` of a list route; lists answer `{data, total, limit, offset}`. */
export class PaginationQueryDto {
  /** Page size, 1–100. */
  @ApiProperty({ minimum: 1, maximum: 100, default: 50, required: false })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  /** Items to skip. */
  @ApiProperty({ minimum: 0, default: 0, required: false })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}
