import { ApiProperty } from '@nestjs/swagger';
import { SCOPES, Scope } from '../../plans/scopes';
import { fieldsOfLimits } from '../../rate-limit/rate-limit-fields';
import type { RateLimits } from '../../rate-limit/rate-limits';
import { ApiKey, ENVIRONMENTS, Environment, REVOKED_REASONS, RevokedReason } from '../api-key.entity';

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/** A key as lists and look-ups show it: never the key itself, never its hash. */
export class ApiKeyResponseDto {
  /** Key id. */
  @ApiProperty({ format: 'uuid', example: '550e8400-e29b-41d4-a716-446655440000' })
  id: string;

  /** Descriptive name. */
  @ApiProperty({ example: 'Production API' })
  name: string;

  /** The key's first 11 characters, to recognise it. */
  @ApiProperty({ example: 'tt_AbCdEfGh' })
  key_prefix: string;

  /** Scopes granted to the key. */
  @ApiProperty({ enum: SCOPES, isArray: true, example: ['read:tracks', 'read:recommendations'] })
  scopes: Scope[];

  /** Where the key is used. */
  @ApiProperty({ enum: ENVIRONMENTS, example: 'production' })
  environment: Environment;

  /** Requests a minute the key runs with (its own value, else the plan's). */
  @ApiProperty({ example: 60 })
  rate_limit_requests_per_minute: number;

  /** Requests an hour the key runs with (its own value, else the plan's). */
  @ApiProperty({ example: 1000 })
  rate_limit_requests_per_hour: number;

  /** Requests a day the key runs with (its own value, else the plan's). */
  @ApiProperty({ example: 10000 })
  rate_limit_requests_per_day: number;

  /** When it was created (ISO 8601 UTC). */
  @ApiProperty({ format: 'date-time', example: '2025-09-27T10:00:00Z' })
  created_at: string;

  /** When it stops working; `null` for never. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2025-12-26T10:00:00Z' })
  expires_at: string | null;

  /** `false` while suspended or once revoked. */
  is_active: boolean;

  /** Addresses and CIDR ranges it may be used from; empty means any. */
  @ApiProperty({ type: [String], example: [] })
  allowed_ips: string[];

  /** Last request made with it (follows within a minute); `null` if never used. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  last_used_at: string | null;

  /** When it was revoked; `null` if it was not. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  revoked_at: string | null;

  /** Why it was revoked: by you (`revoked`), by rotation (`rotated`), or found in public (`exposed`); `null` if it was not. */
  // OpenAPI 3.0: a nullable enum lists `null` among its values.
  @ApiProperty({ type: String, enum: [...REVOKED_REASONS, null], nullable: true, example: null })
  revoked_reason: RevokedReason | null;

  static from(key: ApiKey, limits: RateLimits): ApiKeyResponseDto {
    return {
      id: key.id,
      name: key.name,
      key_prefix: key.keyPrefix,
      scopes: [...key.scopes],
      environment: key.environment,
      ...fieldsOfLimits(limits),
      created_at: key.createdAt.toISOString(),
      expires_at: iso(key.expiresAt),
      is_active: key.isActive,
      allowed_ips: [...key.allowedIps],
      last_used_at: iso(key.lastUsedAt),
      revoked_at: iso(key.revokedAt),
      revoked_reason: key.revokedReason ?? null,
    };
  }
}

/** The creation response: the only place, with rotation, where the full key appears. */
export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  /** The full key. Shown once: store it securely. */
  @ApiProperty({ example: 'tt_AbCdEfGhIjKlMnOpQrStUvWxYz123456' })
  api_key: string;

  static withSecret(key: ApiKey, limits: RateLimits, secret: string): CreatedApiKeyResponseDto {
    const { id, ...rest } = ApiKeyResponseDto.from(key, limits);
    return { id, api_key: secret, ...rest };
  }
}

/** The rotation response: the new key, and the id of the key it replaces. */
export class RotatedApiKeyResponseDto extends CreatedApiKeyResponseDto {
  /** Id of the key this one replaces. */
  @ApiProperty({ format: 'uuid' })
  rotated_from: string;
}

export class ApiKeyListResponseDto {
  /** The page of keys, newest first. */
  data: ApiKeyResponseDto[];

  /** Keys matching the filters. */
  total: number;

  /** Page size used. */
  limit: number;

  /** Keys skipped. */
  offset: number;
}
