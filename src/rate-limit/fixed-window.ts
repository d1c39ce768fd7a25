/** One fixed window to check and count: `seconds` long, aligned to multiples of it since the Unix epoch (so to UTC). */
export interface WindowLimit {
  /** Names the window in its counter key (`minute`, `hour`, `day`, or a throttler name). */
  name: string;
  seconds: number;
  limit: number;
}

/** What a store answers for one request over several windows. */
export interface WindowCounts {
  /** Every window had room: all were counted. Otherwise none was. */
  allowed: boolean;
  /** The clock the decision used, in ms since the epoch (Redis' clock on Redis). */
  nowMs: number;
  /** Requests counted per window, this one included when allowed; in the order of the windows asked. */
  counts: number[];
}

/**
 * Counts requests per bucket in fixed windows, atomically over all windows of one call: either
 * every window has room and all are incremented, or nothing is (a refused request consumes nothing).
 */
export interface RateLimitStore {
  hit(bucket: string, windows: readonly WindowLimit[], nowMs?: number): Promise<WindowCounts>;
}

/** Start of the window holding `nowMs`, in whole seconds since the epoch. */
export function windowStartSeconds(nowMs: number, seconds: number): number {
  const spanMs = seconds * 1000;
  return (nowMs - (nowMs % spanMs)) / 1000;
}

/** Whole seconds from `nowMs` until the window holding it ends (1 to `seconds`, never 0). */
export function secondsUntilWindowEnd(nowMs: number, seconds: number): number {
  return Math.ceil(((windowStartSeconds(nowMs, seconds) + seconds) * 1000 - nowMs) / 1000);
}

/**
 * Counter key of one window. The `{bucket}` hash tag puts every window of a bucket in the same
 * Redis Cluster slot, so one script call may touch all of them.
 */
export function windowKey(baseKey: string, window: WindowLimit, startSeconds: number): string {
  return `${baseKey}:${window.name}:${startSeconds}`;
}

export const bucketKey = (keyPrefix: string, bucket: string): string => `${keyPrefix}rl:{${bucket}}`;
