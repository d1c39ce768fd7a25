import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { PaginationQueryDto } from '../../common/http/pagination-query.dto';
import { ENVIRONMENTS, Environment } from '../api-key.entity';

const BOOLEANS: Record<string, boolean> = { true: true, false: false };

export class ListApiKeysQueryDto extends PaginationQueryDto {
  /** Only keys of this environment. */
  @ApiProperty({ enum: ENVIRONMENTS, required: false })
  @IsOptional()
  @IsIn(ENVIRONMENTS)
  environment?: Environment;

  /** Only active (`true`) or suspended/revoked (`false`) keys. */
  @ApiProperty({ type: Boolean, required: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value in BOOLEANS ? BOOLEANS[value] : value,
  )
  @IsBoolean()
  is_active?: boolean;
}
