import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Max, Min } from 'class-validator';
import { QueryInt } from '../../common/http/query-int.decorator';

export const MAX_USAGE_DAYS = 90;

/** `?days=`: a whole number of days from 1 to 90 ending now. */
const UsageDays = (defaultDays: number): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: MAX_USAGE_DAYS,
      default: defaultDays,
      description: 'Days back from now',
    }),
    IsOptional(),
    QueryInt(),
    Min(1),
    Max(MAX_USAGE_DAYS),
  );

export class KeyUsageQueryDto {
  @UsageDays(7)
  days: number = 7;
}

export class AccountUsageQueryDto {
  @UsageDays(30)
  days: number = 30;
}
