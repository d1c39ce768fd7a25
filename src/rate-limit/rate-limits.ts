/** The three fixed windows of the guide, aligned to UTC boundaries. */
export const RATE_LIMIT_WINDOWS = ['minute', 'hour', 'day'] as const;
export type RateLimitWindow = (typeof RATE_LIMIT_WINDOWS)[number];

export const WINDOW_SECONDS: Record<RateLimitWindow, number> = { minute: 60, hour: 3600, day: 86400 };

/** Requests allowed per window. */
export type RateLimits = Record<RateLimitWindow, number>;

/** Limits as a key, a user or a plan sets them: `null` where it sets none (the next level decides). */
export type RateLimitSettings = Record<RateLimitWindow, number | null>;

/** The API's field (and column) name of each window's limit. */
export const RATE_LIMIT_FIELDS = {
  minute: 'rate_limit_requests_per_minute',
  hour: 'rate_limit_requests_per_hour',
  day: 'rate_limit_requests_per_day',
} as const satisfies Record<RateLimitWindow, string>;
export type RateLimitField = (typeof RATE_LIMIT_FIELDS)[RateLimitWindow];

/** The largest limit a column holds (PostgreSQL `integer`). */
export const MAX_RATE_LIMIT = 2_147_483_647;
