import { Injectable } from '@nestjs/common';
import { FixedWindow, secondsUntilWindowEnd, windowStartSeconds } from './fixed-windows';
import { RATE_LIMIT_WINDOWS, RateLimits, RateLimitWindow, WINDOW_SECONDS } from './rate-limits';
import { FailoverRateLimitStore } from './failover-rate-limit.store';

/** One window after a decision. */
export interface WindowState {
  window: RateLimitWindow;
  limit: number;
  /** Requests left in this window after this request. */
  remaining: number;
  /** When the window ends: ISO 8601, whole seconds, `Z`. */
  resetAt: string;
  /** Whole seconds until then (at least 1). */
  secondsToReset: number;
}

export interface RateLimitDecision {
  /** Every window had room; the request was counted in all of them. A refused one was counted in none. */
  allowed: boolean;
  windows: Record<RateLimitWindow, WindowState>;
  /** The window with the fewest requests left (ties: the shortest); it drives the headers. */
  tightest: WindowState;
  /** Of the windows that refused the request, the one that frees up last: when a retry can pass. */
  refusedBy?: WindowState;
  /** Seconds until `refusedBy` resets (0 when allowed). */
  retryAfterSeconds: number;
  /** `X-RateLimit-*`, `RateLimit-Policy` and `RateLimit` for the response. */
  headers: Record<string, string>;
}

/** What only depends on a set of limits, computed once per distinct set. */
interface LimitsPlan {
  windows: FixedWindow[];
  policy: string;
}

const MAX_CACHED = 10_000;

/** Cache that forgets everything when full: the working set (plans, custom limits) is small. */
function cached<K, V>(cache: Map<K, V>, key: K, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    value = compute();
    cache.set(key, value);
  }
  return value;
}

/** ISO 8601 in whole seconds: the window edges are whole seconds, so only the milliseconds go. */
const isoSeconds = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().slice(0, 19) + 'Z';

/**
 * The three windows (minute, hour, day, aligned to UTC) of a bucket (an API key id, or `auth:<ip>`):
 * one atomic check-and-count over all windows (one Redis round trip), and everything the response
 * needs, with the strings that only depend on the limits or the window edges computed once.
 */
@Injectable()
export class RateLimiter {
  private readonly plans = new Map<string, LimitsPlan>();
  /** The same by limits object: a cached key keeps its `limits`, so most requests skip building the string key. */
  private readonly plansByLimits = new WeakMap<RateLimits, LimitsPlan>();
  private readonly resetStrings = new Map<number, string>();

  constructor(private readonly store: FailoverRateLimitStore) {}

  async consume(bucket: string, limits: RateLimits, nowMs?: number): Promise<RateLimitDecision> {
    let plan = this.plansByLimits.get(limits);
    if (plan === undefined) {
      plan = cached(this.plans, `${limits.minute}/${limits.hour}/${limits.day}`, () => planFor(limits));
      this.plansByLimits.set(limits, plan);
    }
    const { allowed, nowMs: at, counts } = await this.store.hit(bucket, plan.windows, nowMs);
    const states = plan.windows.map((window, i) => this.state(window, counts[i], at));
    let tightest = states[0];
    let refusedBy: WindowState | undefined;
    for (const state of states) {
      if (state.remaining < tightest.remaining) tightest = state;
      if (!allowed && state.remaining === 0 && (!refusedBy || state.secondsToReset >= refusedBy.secondsToReset))
        refusedBy = state;
    }
    return {
      allowed,
      windows: { minute: states[0], hour: states[1], day: states[2] },
      tightest,
      refusedBy,
      retryAfterSeconds: refusedBy?.secondsToReset ?? 0,
      headers: {
        'X-RateLimit-Limit': String(tightest.limit),
        'X-RateLimit-Remaining': String(tightest.remaining),
        'X-RateLimit-Reset': tightest.resetAt,
        'RateLimit-Policy': plan.policy,
        RateLimit: `"${tightest.window}";r=${tightest.remaining};t=${tightest.secondsToReset}`,
      },
    };
  }

  private state(window: FixedWindow, count: number, nowMs: number): WindowState {
    const resetSeconds = windowStartSeconds(nowMs, window.seconds) + window.seconds;
    return {
      window: window.name as RateLimitWindow,
      limit: window.limit,
      remaining: Math.max(0, window.limit - count),
      resetAt: cached(this.resetStrings, resetSeconds, () => isoSeconds(resetSeconds)),
      secondsToReset: secondsUntilWindowEnd(nowMs, window.seconds),
    };
  }
}

function planFor(limits: RateLimits): LimitsPlan {
  const windows = RATE_LIMIT_WINDOWS.map((name) => ({ name, seconds: WINDOW_SECONDS[name], limit: limits[name] }));
  return {
    windows,
    policy: windows.map((window) => `"${window.name}";q=${window.limit};w=${window.seconds}`).join(', '),
  };
}
