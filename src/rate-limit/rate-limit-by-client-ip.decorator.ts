import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { IpRateLimitGuard } from './ip-rate-limit.guard';

/**
 * Enforces AUTH_RATE_LIMIT_PER_MINUTE requests a minute per client IP on the route (one budget shared by
 * every route that uses it), and documents its 429.
 */
export const RateLimitByClientIp = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(IpRateLimitGuard),
    ApiTooManyRequestsResponse({
      description: 'Too many requests from this IP address this minute (AUTH_RATE_LIMIT_PER_MINUTE); see Retry-After',
      headers: {
        'Retry-After': { description: 'Seconds until the minute window resets', schema: { type: 'integer' } },
      },
      schema: { example: { error: 'Too many requests' } },
    }),
  );
