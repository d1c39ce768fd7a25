import { bucketKey, FixedWindow, windowKey, windowStartSeconds } from './fixed-windows';
import type { RateLimitStore, WindowCounts } from './rate-limit-store';

interface Counter {
  count: number;
  expiresAtMs: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * Per-process counters (keys carry their window start, so a counter is only ever read inside its
 * window; the sweep just frees memory) with the Redis script's semantics. JavaScript runs one `hit` at a time, so
 * check-then-increment is atomic here too. Used on the embedded default and while Redis is down.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, Counter>();
  private readonly sweeper = setInterval(() => this.sweep(Date.now()), SWEEP_INTERVAL_MS).unref();

  hit(bucket: string, windows: readonly FixedWindow[], nowMs = Date.now()): Promise<WindowCounts> {
    const baseKey = bucketKey('', bucket);
    const starts = windows.map((window) => windowStartSeconds(nowMs, window.seconds));
    const keys = windows.map((window, i) => windowKey(baseKey, window, starts[i]));
    const counts = keys.map((key) => this.counters.get(key)?.count ?? 0);
    const allowed = windows.every((window, i) => counts[i] < window.limit);
    if (allowed) {
      windows.forEach((window, i) => {
        const counter = this.counters.get(keys[i]);
        if (counter) counts[i] = ++counter.count;
        else {
          this.counters.set(keys[i], { count: 1, expiresAtMs: (starts[i] + window.seconds) * 1000 });
          counts[i] = 1;
        }
      });
    }
    return Promise.resolve({ allowed, nowMs, counts });
  }

  /** Drops every counter whose window has ended. */
  sweep(nowMs: number): void {
    for (const [key, counter] of this.counters) if (counter.expiresAtMs <= nowMs) this.counters.delete(key);
  }

  get size(): number {
    return this.counters.size;
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
