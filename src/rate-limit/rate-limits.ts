/** The three fixed windows of the guide, aligned to UTC boundaries. */
export const RATE_LIMIT_WINDOWS = ['minute', 'hour', 'day'] as const;
export type RateLimitWindow = (typeof RATE_LIMIT_WINDOWS)[number];

export const WINDOW_SECONDS: Record<RateLimitWindow, number> = { minute: 60, hour: 3600, day: 86400 };

/** Requests allowed per window. */
export type RateLimits = Record<RateLimitWindow, number>;
