import { applyDecorators, Type } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  MAX_RATE_LIMIT,
  RATE_LIMIT_FIELDS,
  RATE_LIMIT_WINDOWS,
  RateLimitField,
  RateLimits,
  RateLimitSettings,
  RateLimitWindow,
} from './rate-limits';

/** The request fields of the three windows; `null` (where a route allows it) clears the value. */
export type RateLimitFieldValues = Partial<Record<RateLimitField, number | null>>;

const RateLimitField = (description: string, example: number | undefined): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: Number, minimum: 1, maximum: MAX_RATE_LIMIT, description, example }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(MAX_RATE_LIMIT),
  );

/**
 * A DTO base with the three optional `rate_limit_requests_per_*` fields, validated alike (positive
 * integers a column can hold); `describe` words each field for the route that takes them, and `examples`
 * are what Swagger UI pre-fills (values that route accepts).
 */
export function RateLimitFieldsDto(
  describe: (window: RateLimitWindow) => string,
  examples?: RateLimits,
): Type<RateLimitFieldValues> {
  class RateLimitFields {
    @RateLimitField(describe('minute'), examples?.minute)
    rate_limit_requests_per_minute?: number | null;

    @RateLimitField(describe('hour'), examples?.hour)
    rate_limit_requests_per_hour?: number | null;

    @RateLimitField(describe('day'), examples?.day)
    rate_limit_requests_per_day?: number | null;
  }
  return RateLimitFields;
}

/** The windows a request sets (`undefined` where its field is absent, `null` where it is cleared). */
export function settingsOfFields(fields: RateLimitFieldValues): Partial<RateLimitSettings> {
  const settings: Partial<RateLimitSettings> = {};
  for (const window of RATE_LIMIT_WINDOWS) {
    const value = fields[RATE_LIMIT_FIELDS[window]];
    if (value !== undefined) settings[window] = value;
  }
  return settings;
}

/** Limits as the API's `rate_limit_requests_per_*` fields. */
export function fieldsOfLimits<T extends number | null>(limits: Record<RateLimitWindow, T>): Record<RateLimitField, T> {
  return {
    rate_limit_requests_per_minute: limits.minute,
    rate_limit_requests_per_hour: limits.hour,
    rate_limit_requests_per_day: limits.day,
  };
}
