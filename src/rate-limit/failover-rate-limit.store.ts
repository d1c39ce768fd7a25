import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { InjectRedis } from '../redis/redis.module';
import type { RedisConnection } from '../redis/redis-connection';
import type { FixedWindow } from './fixed-windows';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import type { RateLimitStore, WindowCounts } from './rate-limit-store';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/** After a failed Redis call, how long requests stay on the in-memory counters before Redis is tried again. */
export const REDIS_RETRY_INTERVAL_MS = 1000;

/**
 * The counters every limiter uses: on Redis when configured and answering, otherwise per instance in
 * memory with the same semantics. A Redis error or an answer slower than REDIS_COMMAND_TIMEOUT_MS never
 * fails the request: it is decided in memory, the outage is logged once, and one request every
 * {@link REDIS_RETRY_INTERVAL_MS} tries Redis again until it answers; then every request is back on Redis.
 */
@Injectable()
export class FailoverRateLimitStore implements RateLimitStore, OnModuleDestroy {
  private readonly logger = new Logger(FailoverRateLimitStore.name);
  private readonly memory = new MemoryRateLimitStore();
  private readonly redis?: RedisRateLimitStore;
  private retryRedisAt = 0;
  private fallingBack = false;

  constructor(
    @InjectRedis() private readonly connection: RedisConnection | null,
    @InjectConfig() config: AppConfig,
  ) {
    if (connection) this.redis = new RedisRateLimitStore(connection, config.redisCommandTimeoutMs);
  }

  async hit(bucket: string, windows: readonly FixedWindow[], nowMs?: number): Promise<WindowCounts> {
    if (this.redis && Date.now() >= this.retryRedisAt) {
      // While falling back, this request probes Redis alone; the others stay in memory meanwhile.
      if (this.fallingBack) this.retryRedisAt = Date.now() + REDIS_RETRY_INTERVAL_MS;
      try {
        const counts = await this.redis.hit(bucket, windows, nowMs);
        if (this.fallingBack) this.backOnRedis();
        return counts;
      } catch (error) {
        this.fallBack(error as Error);
      }
    }
    return this.memory.hit(bucket, windows, nowMs);
  }

  onModuleDestroy(): void {
    this.memory.close();
    this.redis?.close();
  }

  private fallBack(error: Error): void {
    this.retryRedisAt = Date.now() + REDIS_RETRY_INTERVAL_MS;
    this.connection!.markDown(error);
    if (this.fallingBack) return;
    this.fallingBack = true;
    this.logger.warn(`Rate limits counted per instance in memory until Redis answers again: ${error.message}`);
  }

  private backOnRedis(): void {
    this.fallingBack = false;
    this.retryRedisAt = 0;
    this.logger.log('Rate limits counted on Redis again');
  }
}
