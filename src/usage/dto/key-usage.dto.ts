import { ApiProperty } from '@nestjs/swagger';
import { COUNTS_BY_KEY, UsagePeriodDto } from './usage-counts.dto';

/** One key's usage over a period (the guide's "Usage Analytics" response). */
export class KeyUsageDto extends UsagePeriodDto {
  /** The key. */
  @ApiProperty({ format: 'uuid' })
  api_key_id: string;

  /** Mean response time in milliseconds, one decimal place; 0 without requests. */
  @ApiProperty({ example: 145.3 })
  avg_response_time_ms: number;

  /** Requests per route template (`/tracks/:id`, never a concrete path). */
  @ApiProperty({ ...COUNTS_BY_KEY, example: { '/tracks': 3200, '/recommendations': 2232 } })
  requests_by_endpoint: Record<string, number>;
}
