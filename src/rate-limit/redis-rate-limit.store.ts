import { createHash } from 'node:crypto';
import type { RedisClientType, RedisClusterType } from 'redis';
import type { RedisConnection } from '../redis/redis-connection';
import { withReplyTimeout } from '../redis/reply-timeout';
import { bucketKey, RateLimitStore, WindowCounts, WindowLimit } from './fixed-window';

/**
 * Checks every window of one bucket and increments all of them only if all have room, in one
 * atomic call. KEYS[1] is the bucket's base key (with its `{bucket}` hash tag, so the window keys
 * built from it share its Cluster slot). ARGV[1] is "now" in ms, or "" for the Redis server's clock;
 * then one (name, seconds, limit) triple per window. Answers {allowed, now, count per window}.
 *
 * The windows come from Redis' own clock (TIME): every instance then agrees on where a window
 * ends, however far the application hosts' clocks drift, so no request near an edge is counted in
 * a window the other instances already left. Each key expires when its window ends.
 */
export const RATE_LIMIT_SCRIPT = `
local now
if ARGV[1] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
else
  now = tonumber(ARGV[1])
end
local windows = (#ARGV - 1) / 3
local keys, ttls, counts = {}, {}, {}
local allowed = 1
for i = 1, windows do
  local span = tonumber(ARGV[3 * i]) * 1000
  local start = now - now % span
  keys[i] = KEYS[1] .. ':' .. ARGV[3 * i - 1] .. ':' .. string.format('%d', start / 1000)
  ttls[i] = start + span - now
  counts[i] = tonumber(redis.call('GET', keys[i]) or 0)
  if counts[i] >= tonumber(ARGV[3 * i + 1]) then allowed = 0 end
end
if allowed == 1 then
  for i = 1, windows do
    counts[i] = redis.call('INCR', keys[i])
    if counts[i] == 1 then redis.call('PEXPIRE', keys[i], ttls[i]) end
  end
end
return {allowed, now, unpack(counts)}
`;

const SCRIPT_SHA = createHash('sha1').update(RATE_LIMIT_SCRIPT).digest('hex');

/** The script's counters on Redis (standalone or Cluster): one EVALSHA per decision, answered within `timeoutMs` or failed. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly connection: RedisConnection,
    private readonly timeoutMs: number,
  ) {}

  hit(bucket: string, windows: readonly WindowLimit[], nowMs?: number): Promise<WindowCounts> {
    return withReplyTimeout(this.evaluate(bucket, windows, nowMs), this.timeoutMs);
  }

  private async evaluate(bucket: string, windows: readonly WindowLimit[], nowMs?: number): Promise<WindowCounts> {
    const baseKey = bucketKey(this.connection.keyPrefix, bucket);
    const args = ['EVALSHA', SCRIPT_SHA, '1', baseKey, nowMs === undefined ? '' : String(nowMs)];
    for (const window of windows) args.push(window.name, String(window.seconds), String(window.limit));
    let reply: number[];
    try {
      reply = await this.send<number[]>(baseKey, args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      // First use on this server (or after a restart / SCRIPT FLUSH): load it there once, then retry.
      await this.send(baseKey, ['SCRIPT', 'LOAD', RATE_LIMIT_SCRIPT]);
      reply = await this.send<number[]>(baseKey, args);
    }
    return { allowed: reply[0] === 1, nowMs: Number(reply[1]), counts: reply.slice(2).map(Number) };
  }

  /** Sends to the node that owns `key` (on a cluster) or to the one server. */
  private send<T>(key: string, args: string[]): Promise<T> {
    return this.connection.mode === 'cluster'
      ? (this.connection.client as RedisClusterType).sendCommand<T>(key, false, args)
      : (this.connection.client as RedisClientType).sendCommand<T>(args);
  }
}
