import calculateSlot from 'cluster-key-slot';
import { createHash } from 'node:crypto';
import type { RedisClientType, RedisClusterType } from 'redis';
import type { RedisConnection } from '../redis/redis-connection';
import { ReplyDeadlines } from '../redis/reply-timeout';
import { bucketKey, FixedWindow } from './fixed-windows';
import type { RateLimitStore, WindowCounts } from './rate-limit-store';

/**
 * Decides a list of buckets in order, in one atomic call: for each, checks every window and
 * increments all of them only if all have room. KEYS are the buckets' base keys (each with its
 * `{bucket}` hash tag, so its window keys share its Cluster slot; one call's buckets share a slot).
 * ARGV, per bucket: "now" in ms ("" for the Redis server's clock), the number of windows, then one
 * (name, seconds, limit) triple per window. Answers, per bucket: allowed, now, count per window.
 *
 * The windows come from Redis' own clock (TIME): every instance then agrees on where a window
 * ends, however far the application hosts' clocks drift, so no request near an edge is counted in
 * a window the other instances already left. Each key expires when its window ends.
 *
 * It counts first and takes the counts back when a window is over its limit: the usual, allowed
 * request then costs one INCR per window and no GET; the script is atomic, so nobody sees the counts in between.
 * Window starts are whole seconds, which Lua concatenates as integers; the key and count tables are
 * shared by all buckets of a call (each bucket overwrites its own windows' slots first).
 */
export const RATE_LIMIT_SCRIPT = `
local clock_ms, clock_s
local out, n = {}, 0
local keys, counts = {}, {}
local a = 1
for b = 1, #KEYS do
  local now, seconds
  if ARGV[a] == '' then
    if clock_ms == nil then
      local time = redis.call('TIME')
      clock_s = tonumber(time[1])
      clock_ms = clock_s * 1000 + math.floor(tonumber(time[2]) / 1000)
    end
    now, seconds = clock_ms, clock_s
  else
    now = tonumber(ARGV[a])
    seconds = math.floor(now / 1000)
  end
  local windows = tonumber(ARGV[a + 1])
  a = a + 2
  local base = KEYS[b] .. ':'
  local allowed = 1
  for i = 1, windows do
    local span = tonumber(ARGV[a + 1])
    local start = seconds - seconds % span
    local key = base .. ARGV[a] .. ':' .. start
    local count = redis.call('INCR', key)
    keys[i], counts[i] = key, count
    if count == 1 then redis.call('PEXPIRE', key, (start + span) * 1000 - now) end
    if count > tonumber(ARGV[a + 2]) then allowed = 0 end
    a = a + 3
  end
  if allowed == 0 then
    for i = 1, windows do counts[i] = redis.call('DECR', keys[i]) end
  end
  out[n + 1], out[n + 2] = allowed, now
  for i = 1, windows do out[n + 2 + i] = counts[i] end
  n = n + 2 + windows
end
return out
`;

const SCRIPT_SHA = createHash('sha1').update(RATE_LIMIT_SCRIPT).digest('hex');

/** Most decisions in one script call, so that one call keeps Redis busy for well under a millisecond. */
export const MAX_DECISIONS_PER_CALL = 500;

interface PendingDecision {
  baseKey: string;
  /** Its ARGV part: now, the number of windows, the triples. */
  args: readonly string[];
  windows: number;
  resolve: (counts: WindowCounts) => void;
  reject: (error: Error) => void;
}

/** The windows' ARGV part after "now": their number, then one (name, seconds, limit) triple per window. */
const windowArguments = (windows: readonly FixedWindow[]): string[] => [
  String(windows.length),
  ...windows.flatMap((window) => [window.name, String(window.seconds), String(window.limit)]),
];

/**
 * The script's counters on Redis (standalone or Cluster). Decisions asked for in one turn of the
 * event loop go out together, as one EVALSHA per Cluster slot (one in all on a standalone server),
 * each answered within `timeoutMs` or failed.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly deadlines: ReplyDeadlines;
  /** The windows' arguments as strings, built once per set of windows (the limiter reuses its arrays). */
  private readonly argumentsByWindows = new WeakMap<readonly FixedWindow[], string[]>();
  private pending: PendingDecision[] = [];
  private flushScheduled = false;

  constructor(
    private readonly connection: RedisConnection,
    timeoutMs: number,
  ) {
    this.deadlines = new ReplyDeadlines(timeoutMs);
  }

  hit(bucket: string, windows: readonly FixedWindow[], nowMs?: number): Promise<WindowCounts> {
    let tail = this.argumentsByWindows.get(windows);
    if (tail === undefined) this.argumentsByWindows.set(windows, (tail = windowArguments(windows)));
    const decided = new Promise<WindowCounts>((resolve, reject) => {
      const args = [nowMs === undefined ? '' : String(nowMs), ...tail];
      this.pending.push({
        baseKey: bucketKey(this.connection.keyPrefix, bucket),
        args,
        windows: windows.length,
        resolve,
        reject,
      });
    });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
    return this.deadlines.bound(decided);
  }

  close(): void {
    this.deadlines.close();
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const pending = this.pending;
    this.pending = [];
    for (const group of this.connection.mode === 'cluster' ? bySlot(pending) : [pending]) {
      for (let start = 0; start < group.length; start += MAX_DECISIONS_PER_CALL) {
        void this.decide(group.slice(start, start + MAX_DECISIONS_PER_CALL));
      }
    }
  };

  private async decide(decisions: PendingDecision[]): Promise<void> {
    const keys = decisions.map((decision) => decision.baseKey);
    const args = ['EVALSHA', SCRIPT_SHA, String(keys.length), ...keys];
    for (const decision of decisions) for (const arg of decision.args) args.push(arg);
    let reply: number[];
    try {
      reply = await this.evaluate(keys[0], args);
    } catch (error) {
      for (const decision of decisions) decision.reject(error as Error);
      return;
    }
    let at = 0;
    for (const decision of decisions) {
      const counts = new Array<number>(decision.windows);
      for (let i = 0; i < decision.windows; i++) counts[i] = Number(reply[at + 2 + i]);
      decision.resolve({ allowed: reply[at] === 1, nowMs: Number(reply[at + 1]), counts });
      at += 2 + decision.windows;
    }
  }

  private async evaluate(key: string, args: string[]): Promise<number[]> {
    try {
      return await this.send<number[]>(key, args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      // First use on this server (or after a restart / SCRIPT FLUSH): load it there once, then retry.
      await this.send(key, ['SCRIPT', 'LOAD', RATE_LIMIT_SCRIPT]);
      return this.send<number[]>(key, args);
    }
  }

  /** Sends to the node that owns `key` (on a cluster) or to the one server. */
  private send<T>(key: string, args: string[]): Promise<T> {
    return this.connection.mode === 'cluster'
      ? (this.connection.client as RedisClusterType).sendCommand<T>(key, false, args)
      : (this.connection.client as RedisClientType).sendCommand<T>(args);
  }
}

/** Decisions grouped by the Cluster slot of their keys (a script call may only touch one slot). */
function bySlot(decisions: readonly PendingDecision[]): PendingDecision[][] {
  const groups = new Map<number, PendingDecision[]>();
  for (const decision of decisions) {
    const slot = calculateSlot(decision.baseKey);
    const group = groups.get(slot);
    if (group === undefined) groups.set(slot, [decision]);
    else group.push(decision);
  }
  return [...groups.values()];
}
