import { ApiProperty } from '@nestjs/swagger';

/** Request counts keyed by a text (route template or status code). */
export const COUNTS_BY_KEY = { type: 'object', additionalProperties: { type: 'integer' } } as const;

/** How many requests, and how many of them failed. */
export class RequestTotalsDto {
  /** Requests made in the period, whatever their outcome. */
  @ApiProperty({ type: 'integer' })
  total_requests: number;

  /** Of those, answered with a status of 400 or above (403, 404, 429 and 5xx included). */
  @ApiProperty({ type: 'integer' })
  failed_requests: number;
}

/** The outcome counts of a period, shared by the per-key and the per-account usage. */
export class UsagePeriodDto extends RequestTotalsDto {
  /** Requests answered with a status below 400. */
  @ApiProperty({ type: 'integer' })
  successful_requests: number;

  /** Requests per HTTP status code. */
  @ApiProperty({ ...COUNTS_BY_KEY, example: { '200': 5320, '404': 89, '500': 23 } })
  requests_by_status_code: Record<string, number>;

  /** Start of the period: `period_end` minus `days`. */
  @ApiProperty({ format: 'date-time', example: '2025-09-20T10:00:00.000Z' })
  period_start: string;

  /** End of the period: the time of the request. */
  @ApiProperty({ format: 'date-time', example: '2025-09-27T10:00:00.000Z' })
  period_end: string;
}
