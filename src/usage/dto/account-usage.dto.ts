import { ApiProperty } from '@nestjs/swagger';
import { COUNTS_BY_KEY } from './key-usage.dto';

/** One key's share of the account's usage. */
export class KeyUsageSummaryDto {
  /** The key. */
  @ApiProperty({ format: 'uuid' })
  api_key_id: string;

  /** The key's first 11 characters. */
  @ApiProperty({ example: 'tt_AbCdEfGh' })
  key_prefix: string;

  /** The key's name (deleted keys keep theirs here: their rows still count). */
  name: string;

  /** Requests made with the key in the period. */
  @ApiProperty({ type: 'integer' })
  total_requests: number;

  /** Of those, answered with a status of 400 or above. */
  @ApiProperty({ type: 'integer' })
  failed_requests: number;
}

/** The account's requests on one UTC day (the first and last days of the period are partial). */
export class DayUsageDto {
  /** UTC day. */
  @ApiProperty({ format: 'date', example: '2025-09-27' })
  date: string;

  /** Requests made that day with any of the account's keys. */
  @ApiProperty({ type: 'integer' })
  total_requests: number;

  /** Of those, answered with a status of 400 or above. */
  @ApiProperty({ type: 'integer' })
  failed_requests: number;
}

/** The account's usage across all its keys, deleted ones included, in one response. */
export class AccountUsageDto {
  /** Start of the period: `period_end` minus `days`. */
  @ApiProperty({ format: 'date-time', example: '2025-08-28T10:00:00.000Z' })
  period_start: string;

  /** End of the period: the time of the request. */
  @ApiProperty({ format: 'date-time', example: '2025-09-27T10:00:00.000Z' })
  period_end: string;

  /** Requests made with any of the account's keys in the period, whatever their outcome. */
  @ApiProperty({ type: 'integer' })
  total_requests: number;

  /** Requests answered with a status below 400. */
  @ApiProperty({ type: 'integer' })
  successful_requests: number;

  /** Requests answered with a status of 400 or above. */
  @ApiProperty({ type: 'integer' })
  failed_requests: number;

  /** Requests per HTTP status code. */
  @ApiProperty({ ...COUNTS_BY_KEY, example: { '200': 5320, '404': 89 } })
  requests_by_status_code: Record<string, number>;

  /** Each key with requests in the period, busiest first. */
  by_key: KeyUsageSummaryDto[];

  /** Every UTC day of the period, oldest first, zeros included. */
  by_day: DayUsageDto[];
}
