/** One fixed window to check and count: `seconds` long, aligned to multiples of it since the Unix epoch (so to UTC). */
export interface FixedWindow {
  /** Names the window in its counter key (`minute`, `hour`, `day`, or a throttler's name). */
  name: string;
  seconds: number;
  limit: number;
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
 * Counter key of a bucket (an API key id, or `auth:<ip>`). The `{bucket}` hash tag puts every window
 * of a bucket in the same Redis Cluster slot, so one script call may touch all of them.
 */
export const bucketKey = (keyPrefix: string, bucket: string): string => `${keyPrefix}rl:{${bucket}}`;

/** Counter key of one window of a bucket. */
export function windowKey(baseKey: string, window: FixedWindow, startSeconds: number): string {
  return `${baseKey}:${window.name}:${startSeconds}`;
}
