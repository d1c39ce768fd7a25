import { ApiProperty } from '@nestjs/swagger';
import { COUNTS_BY_KEY } from './key-usage.dto';

export class KeyUsageSummaryDto {
  @ApiProperty({ format: 'uuid' })
  api_key_id: string;

  /** The key's first 11 characters. */
  @ApiProperty({ example: 'tt_AbCdEfGh' })
  key_prefix: string;

  /** The key's name (deleted keys keep theirs here: their rows still count). */
  name: string;

  total_requests: number;

  /** Requests answered with a status of 400 or above. */
  failed_requests: number;
}

export class DayUsageDto {
  /** UTC day. */
  @ApiProperty({ format: 'date', example: '2025-09-27' })
  date: string;

  total_requests: number;

  failed_requests: number;
}

/** The account's usage across all its keys, deleted ones included, in one response. */
export class AccountUsageDto {
  @ApiProperty({ format: 'date-time' })
  period_start: string;

  @ApiProperty({ format: 'date-time' })
  period_end: string;

  total_requests: number;

  /** Requests answered with a status below 400. */
  successful_requests: number;

  /** Requests answered with a status of 400 or above. */
  failed_requests: number;

  /** Requests per HTTP status code. */
  @ApiProperty({ ...COUNTS_BY_KEY, example: { '200': 5320, '404': 89 } })
  requests_by_status_code: Record<string, number>;

  /** Each key with requests in the period, busiest first. */
  by_key: KeyUsageSummaryDto[];

  /** Every UTC day of the period, oldest first, zeros included. */
  by_day: DayUsageDto[];
}
