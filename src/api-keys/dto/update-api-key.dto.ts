import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional } from 'class-validator';
import { CreateApiKeyDto } from './create-api-key.dto';

const DAY_MS = 86_400_000;
/** Swagger's pre-filled `expires_at`: 90 days after the service started, so "Try it out" always sends a future time. */
const FUTURE_EXAMPLE = new Date(Date.now() + 90 * DAY_MS).toISOString().slice(0, 19) + 'Z';

/** Same rules as creation; only the fields given change. */
export class UpdateApiKeyDto extends PartialType(
  PickType(CreateApiKeyDto, [
    'name',
    'scopes',
    'allowed_ips',
    'rate_limit_requests_per_minute',
    'rate_limit_requests_per_hour',
    'rate_limit_requests_per_day',
  ] as const),
) {
  /** `false` suspends the key, `true` resumes it; a revoked key cannot be reactivated (409). */
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  /** A future ISO 8601 timestamp, or `null` for never. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, required: false, example: FUTURE_EXAMPLE })
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string | null;
}
