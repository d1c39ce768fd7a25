import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export const PERIOD_FORMAT = /^\d{4}-(0[1-9]|1[0-2])$/;

export class BillingQueryDto {
  /** Calendar month (UTC), `YYYY-MM`; default this month. Not in the future. */
  @ApiPropertyOptional({ example: '2026-11', pattern: PERIOD_FORMAT.source })
  @IsOptional()
  @Matches(PERIOD_FORMAT, { message: 'period must be a month as YYYY-MM' })
  period?: string;
}
