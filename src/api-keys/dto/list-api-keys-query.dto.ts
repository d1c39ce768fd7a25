import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { ENVIRONMENTS, Environment } from '../api-key.entity';

const BOOLEANS: Record<string, boolean> = { true: true, false: false };

export class ListApiKeysQueryDto {
  /** Page size, 1–100. */
  @ApiProperty({ minimum: 1, maximum: 100, default: 50, required: false })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  /** Keys to skip. */
  @ApiProperty({ minimum: 0, default: 0, required: false })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;

  /** Only keys of this environment. */
  @ApiProperty({ enum: ENVIRONMENTS, required: false })
  @IsOptional()
  @IsIn(ENVIRONMENTS)
  environment?: Environment;

  /** Only active (`true`) or suspended/revoked (`false`) keys. */
  @ApiProperty({ type: Boolean, required: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value in BOOLEANS ? BOOLEANS[value] : value))
  @IsBoolean()
  is_active?: boolean;
}
