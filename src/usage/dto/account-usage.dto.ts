import { ApiProperty } from '@nestjs/swagger';
import { RequestTotalsDto, UsagePeriodDto } from './usage-counts.dto';

/** One key's share of the account's usage. */
export class KeyUsageSummaryDto extends RequestTotalsDto {
  /** The key. */
  @ApiProperty({ format: 'uuid' })
  api_key_id: string;

  /** The key's first 11 characters. */
  @ApiProperty({ example: 'tt_AbCdEfGh' })
  key_prefix: string;

  /** The key's name (deleted keys keep theirs here: their rows still count). */
  name: string;
}

/** The account's requests on one UTC day (the first and last days of the period are partial). */
export class DayUsageDto extends RequestTotalsDto {
  /** UTC day. */
  @ApiProperty({ format: 'date', example: '2025-09-27' })
  date: string;
}

/** The account's usage across all its keys, deleted ones included, in one response. */
export class AccountUsageDto extends UsagePeriodDto {
  /** Each key with requests in the period, busiest first. */
  by_key: KeyUsageSummaryDto[];

  /** Every UTC day of the period, oldest first, zeros included. */
  by_day: DayUsageDto[];
}
