import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type { RedisClientType } from 'redis';
import { REDIS_CLIENT, REDIS_KEY_PREFIX } from './redis.tokens';

// Counts a hit, starts the window on the first one and reports the block state, atomically.
const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], 1, 'PX', ARGV[3])
  blockTtl = tonumber(ARGV[3])
end
return { hits, ttl, blockTtl }
`;

/**
 * Redis storage for @nestjs/throttler in the style of the community packages: one script call per
 * `increment`, and the throttler calls `increment` once per configured window, so a request with
 * minute, hour and day windows makes three Redis round trips.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleInit {
  private scriptSha: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClientType,
    @Inject(REDIS_KEY_PREFIX) private readonly keyPrefix: string,
  ) {}

  async onModuleInit(): Promise<void> {
    this.scriptSha = await this.redis.scriptLoad(INCREMENT_SCRIPT);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const hitKey = `${this.keyPrefix}throttler:${throttlerName}:${key}`;
    const call = {
      keys: [hitKey, `${hitKey}:blocked`],
      arguments: [String(ttl), String(limit), String(blockDuration)],
    };
    let reply: number[];
    try {
      reply = (await this.redis.evalSha(this.scriptSha, call)) as number[];
    } catch (error) {
      // The server lost its script cache (restart, SCRIPT FLUSH): load it again, as ioredis-based storages do.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      this.scriptSha = await this.redis.scriptLoad(INCREMENT_SCRIPT);
      reply = (await this.redis.evalSha(this.scriptSha, call)) as number[];
    }
    const [totalHits, timeToExpire, timeToBlockExpire] = reply;
    return {
      totalHits,
      timeToExpire: Math.ceil(timeToExpire / 1000),
      isBlocked: timeToBlockExpire > 0,
      timeToBlockExpire: Math.max(0, Math.ceil(timeToBlockExpire / 1000)),
    };
  }
}
