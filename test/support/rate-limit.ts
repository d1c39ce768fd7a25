import type { RateLimits, RateLimitWindow } from '../../src/rate-limit/rate-limits';

/**
 * Waits for the next minute when fewer than `marginMs` are left in this one, so a test that counts
 * requests inside one minute window is not split by a window edge.
 */
export async function awaitRoomInMinute(marginMs = 10_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** Whole seconds until the current minute ends, as `Retry-After` / `RateLimit` `t` state it. */
export const secondsLeftInMinute = (): number => Math.ceil((60_000 - (Date.now() % 60_000)) / 1000);

/** One window of a 429's `rate_limit_info`. */
export interface WindowInfo {
  limit: number;
  remaining: number;
  reset_at: string;
}

/** The guide's 429 body. */
export interface RateLimitedBody {
  error: string;
  window: RateLimitWindow;
  reset_at: string;
  rate_limit_info: Record<RateLimitWindow, WindowInfo>;
}

/** `RateLimit-Policy` for these limits, spelled out as the contract writes it. */
export const policyOf = ({ minute, hour, day }: RateLimits): string =>
  `"minute";q=${minute};w=60, "hour";q=${hour};w=3600, "day";q=${day};w=86400`;
