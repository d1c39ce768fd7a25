import { createHash } from 'node:crypto';
import type { RedisClientType, RedisClusterType } from 'redis';
import type { RedisConnection } from '../redis/redis-connection';
import { ReplyDeadlines } from '../redis/reply-timeout';
import { bucketKey, FixedWindow } from './fixed-windows';
import type { RateLimitStore, WindowCounts } from './rate-limit-store';

/**
 * Checks every window of one bucket and increments all of them only if all have room, in one
 * atomic call. KEYS[1] is the bucket's base key (with its `{bucket}` hash tag, so the window keys
 * built from it share its Cluster slot). ARGV[1] is "now" in ms, or "" for the Redis server's clock;
 * then one (name, seconds, limit) triple per window. Answers {allowed, now, count per window}.
 *
 * The windows come from Redis' own clock (TIME): every instance then agrees on where a window
 * ends, however far the application hosts' clocks drift, so no request near an edge is counted in
 * a window the other instances already left. Each key expires when its window ends.
 *
 * It counts first and takes the counts back when a window is over its limit: the usual, allowed
 * request then costs one INCR per window and no GET; the script is atomic, so nobody sees the counts in between.
 */
export const RATE_LIMIT_SCRIPT = `
local seconds, now
if ARGV[1] == '' then
  local time = redis.call('TIME')
  seconds = tonumber(time[1])
  now = seconds * 1000 + math.floor(tonumber(time[2]) / 1000)
else
  now = tonumber(ARGV[1])
  seconds = math.floor(now / 1000)
end
local base = KEYS[1] .. ':'
local windows = (#ARGV - 1) / 3
local keys, counts = {}, {}
local allowed = 1
for i = 1, windows do
  local span = tonumber(ARGV[3 * i])
  local start = seconds - seconds % span
  local key = base .. ARGV[3 * i - 1] .. ':' .. string.format('%d', start)
  keys[i] = key
  counts[i] = redis.call('INCR', key)
  if counts[i] == 1 then redis.call('PEXPIRE', key, (start + span) * 1000 - now) end
  if counts[i] > tonumber(ARGV[3 * i + 1]) then allowed = 0 end
end
if allowed == 0 then
  for i = 1, windows do counts[i] = redis.call('DECR', keys[i]) end
end
return {allowed, now, unpack(counts)}
`;

const SCRIPT_SHA = createHash('sha1').update(RATE_LIMIT_SCRIPT).digest('hex');

/** EVALSHA's arguments after the key and the clock: one (name, seconds, limit) triple per window. */
const windowArguments = (windows: readonly FixedWindow[]): string[] =>
  windows.flatMap((window) => [window.name, String(window.seconds), String(window.limit)]);

/** The script's counters on Redis (standalone or Cluster): one EVALSHA per decision, answered within `timeoutMs` or failed. */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly deadlines: ReplyDeadlines;
  /** The windows' arguments as strings, built once per set of windows (the limiter reuses its arrays). */
  private readonly argumentsByWindows = new WeakMap<readonly FixedWindow[], string[]>();

  constructor(
    private readonly connection: RedisConnection,
    timeoutMs: number,
  ) {
    this.deadlines = new ReplyDeadlines(timeoutMs);
  }

  hit(bucket: string, windows: readonly FixedWindow[], nowMs?: number): Promise<WindowCounts> {
    return this.deadlines.bound(this.evaluate(bucket, windows, nowMs));
  }

  close(): void {
    this.deadlines.close();
  }

  private async evaluate(bucket: string, windows: readonly FixedWindow[], nowMs?: number): Promise<WindowCounts> {
    const baseKey = bucketKey(this.connection.keyPrefix, bucket);
    let tail = this.argumentsByWindows.get(windows);
    if (tail === undefined) this.argumentsByWindows.set(windows, (tail = windowArguments(windows)));
    const args = ['EVALSHA', SCRIPT_SHA, '1', baseKey, nowMs === undefined ? '' : String(nowMs), ...tail];
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
