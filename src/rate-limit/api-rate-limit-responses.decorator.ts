import { applyDecorators } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';

const windowInfoSchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', example: 60 },
    remaining: { type: 'integer', example: 0 },
    reset_at: { type: 'string', format: 'date-time', example: '2025-09-27T10:05:00Z' },
  },
};

const header = (description: string, type: 'integer' | 'string' = 'string') => ({ description, schema: { type } });

/** Documents (does not enforce) the per-key limiter's 429: the guide's body, `Retry-After` and the limit headers. */
export const ApiRateLimitResponses = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiTooManyRequestsResponse({
      description:
        'Rate limit exceeded: a window (minute, hour, day) of this key is used up; nothing was counted. ' +
        'Every response past the key check carries X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, RateLimit-Policy and RateLimit.',
      headers: {
        'Retry-After': header('Whole seconds until the window named in the body resets (at least 1)', 'integer'),
        'X-RateLimit-Limit': header(
          'Limit of the window with the fewest requests left (ties: the shortest)',
          'integer',
        ),
        'X-RateLimit-Remaining': header('Requests left in that window', 'integer'),
        'X-RateLimit-Reset': header('When that window resets, ISO 8601 in whole seconds (e.g. 2025-09-27T10:05:00Z)'),
        'RateLimit-Policy': header(
          'All three windows, e.g. "minute";q=60;w=60, "hour";q=1000;w=3600, "day";q=10000;w=86400',
        ),
        RateLimit: header('That window, e.g. "minute";r=0;t=23 (t: seconds until it resets)'),
      },
      schema: {
        type: 'object',
        properties: {
          error: { type: 'string', example: 'Rate limit exceeded' },
          window: { type: 'string', enum: ['minute', 'hour', 'day'] },
          reset_at: { type: 'string', format: 'date-time', example: '2025-09-27T10:05:00Z' },
          rate_limit_info: {
            type: 'object',
            properties: { minute: windowInfoSchema, hour: windowInfoSchema, day: windowInfoSchema },
          },
        },
      },
    }),
  );
