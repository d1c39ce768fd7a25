import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional } from 'class-validator';
import { CreateApiKeyDto } from './create-api-key.dto';

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
  // A fixed example (the SDK's generated types carry it) far enough ahead for Swagger UI's "Try it out".
  @ApiProperty({ type: String, format: 'date-time', nullable: true, required: false, example: '2030-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string | null;
}
