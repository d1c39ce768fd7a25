import type { FixedWindow } from './fixed-windows';

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
  hit(bucket: string, windows: readonly FixedWindow[], nowMs?: number): Promise<WindowCounts>;
}
