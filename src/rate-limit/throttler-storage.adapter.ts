import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { FailoverRateLimitStore } from './failover-rate-limit.store';
import { secondsUntilWindowEnd } from './fixed-windows';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's storage over our counters, for `ThrottlerGuard` (the per-IP limit): each
 * throttler is one fixed window of `ttl` ms named after the throttler, counted like the per-key ones.
 */
@Injectable()
export class ThrottlerStorageAdapter implements ThrottlerStorage {
  constructor(private readonly store: FailoverRateLimitStore) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const seconds = Math.max(1, Math.ceil(ttl / 1000));
    const { allowed, nowMs, counts } = await this.store.hit(key, [{ name: throttlerName, seconds, limit }]);
    const timeToExpire = secondsUntilWindowEnd(nowMs, seconds);
    return { totalHits: counts[0], timeToExpire, isBlocked: !allowed, timeToBlockExpire: allowed ? 0 : timeToExpire };
  }
}
