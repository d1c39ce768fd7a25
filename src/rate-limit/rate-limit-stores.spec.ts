import { loadConfig } from '../config/app-config';
import { RedisConnection } from '../redis/redis-connection';
import { uniqueRedisPrefix } from '../../test/support/test-app';
import { bucketKey, FixedWindow } from './fixed-windows';
import type { RateLimitStore } from './rate-limit-store';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RedisRateLimitStore } from './redis-rate-limit.store';

const at = (iso: string): number => Date.parse(iso);
/** Decisions asked for at once, and the minute limit of the one bucket they share. */
const IN_ONE_TURN = 20;
const BATCH_LIMIT = 7;
const tiers = (minute: number, hour: number, day: number): FixedWindow[] => [
  { name: 'minute', seconds: 60, limit: minute },
  { name: 'hour', seconds: 3600, limit: hour },
  { name: 'day', seconds: 86400, limit: day },
];

interface StoreUnderTest {
  store: RateLimitStore;
  close(): Promise<void>;
}

function memoryStore(): Promise<StoreUnderTest> {
  const store = new MemoryRateLimitStore();
  return Promise.resolve({ store, close: () => Promise.resolve(store.close()) });
}

/** The Lua script on the real Redis of REDIS_URL, in a key space of its own that is deleted afterwards. */
async function redisStore(): Promise<StoreUnderTest> {
  const connection = RedisConnection.create(
    loadConfig({ REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: uniqueRedisPrefix() }),
  );
  await connection.connect(2000);
  const client = connection.client as import('redis').RedisClientType;
  return {
    store: new RedisRateLimitStore(connection, 1000),
    close: async () => {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${connection.keyPrefix}*`, COUNT: 1000 }))
        keys.push(...batch);
      if (keys.length > 0) await client.del(keys);
      await connection.close();
    },
  };
}

const stores: [string, () => Promise<StoreUnderTest>][] = [['MemoryRateLimitStore', memoryStore]];
if (process.env.REDIS_URL) stores.push(['RedisRateLimitStore (Lua script)', redisStore]);

describe.each(stores)('%s', (_name, create) => {
  let subject: StoreUnderTest;
  let bucket: string;
  beforeAll(async () => (subject = await create()));
  afterAll(() => subject.close());
  beforeEach(() => (bucket = `key-${Math.random().toString(36).slice(2)}`));

  it('counts 59.999 s in the ending minute and 00.000 s in the next one', async () => {
    const minuteOf2 = [{ name: 'minute', seconds: 60, limit: 2 }];
    expect(await subject.store.hit(bucket, minuteOf2, at('2025-09-27T10:04:59.999Z'))).toEqual({
      allowed: true,
      nowMs: at('2025-09-27T10:04:59.999Z'),
      counts: [1],
    });
    expect((await subject.store.hit(bucket, minuteOf2, at('2025-09-27T10:05:00.000Z'))).counts).toEqual([1]);
    expect((await subject.store.hit(bucket, minuteOf2, at('2025-09-27T10:05:59.999Z'))).counts).toEqual([2]);
  });

  it('starts a new minute, hour and day at 00:00:00Z', async () => {
    const oneEach = tiers(1, 1, 1);
    expect(await subject.store.hit(bucket, oneEach, at('2025-09-27T23:59:59.999Z'))).toMatchObject({
      allowed: true,
      counts: [1, 1, 1],
    });
    expect(await subject.store.hit(bucket, oneEach, at('2025-09-28T00:00:00.000Z'))).toMatchObject({
      allowed: true,
      counts: [1, 1, 1],
    });
    expect(await subject.store.hit(bucket, oneEach, at('2025-09-28T00:00:00.000Z'))).toMatchObject({
      allowed: false,
      counts: [1, 1, 1],
    });
  });

  it('counts a refused request in no window', async () => {
    const limits = tiers(2, 100, 1000);
    const now = at('2025-09-27T10:04:10Z');
    await subject.store.hit(bucket, limits, now);
    await subject.store.hit(bucket, limits, now);
    for (let i = 0; i < 3; i++)
      expect(await subject.store.hit(bucket, limits, now)).toMatchObject({ allowed: false, counts: [2, 2, 2] });
    expect(await subject.store.hit(bucket, limits, at('2025-09-27T10:05:00Z'))).toMatchObject({
      allowed: true,
      counts: [1, 3, 3],
    });
  });

  it('is refused by any one window', async () => {
    const now = at('2025-09-27T10:04:10Z');
    await subject.store.hit(bucket, tiers(10, 1, 10), now);
    expect(await subject.store.hit(bucket, tiers(10, 1, 10), now)).toMatchObject({ allowed: false, counts: [1, 1, 1] });
  });

  it('lets exactly the remaining requests through when many arrive at once', async () => {
    const limits = tiers(7, 100, 1000);
    const now = at('2025-09-27T10:04:10Z');
    const results = await Promise.all(Array.from({ length: 40 }, () => subject.store.hit(bucket, limits, now)));
    expect(results.filter((result) => result.allowed)).toHaveLength(7);
    expect(
      results
        .filter((result) => result.allowed)
        .map((result) => result.counts[0])
        .sort((a, b) => a - b),
    ).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('uses the current time when none is given', async () => {
    const before = Date.now();
    const result = await subject.store.hit(bucket, tiers(5, 5, 5));
    expect(result.nowMs).toBeGreaterThanOrEqual(before - 1000);
    expect(result.nowMs).toBeLessThanOrEqual(Date.now() + 1000);
  });
});

(process.env.REDIS_URL ? describe : describe.skip)(RedisRateLimitStore.name, () => {
  let subject: StoreUnderTest;
  let connection: RedisConnection;
  beforeAll(async () => {
    subject = await redisStore();
    connection = (subject.store as unknown as { connection: RedisConnection }).connection;
  });
  afterAll(() => subject.close());

  it('keeps one key per window under the bucket hash tag, expiring when its window ends', async () => {
    const client = connection.client as import('redis').RedisClientType;
    await subject.store.hit('k1', tiers(5, 5, 5), at('2025-09-27T10:04:59.000Z'));
    const base = bucketKey(connection.keyPrefix, 'k1');
    const ttl = (suffix: string) => client.pTTL(`${base}:${suffix}`);
    expect(base).toBe(`${connection.keyPrefix}rl:{k1}`);
    expect(await ttl(`minute:${at('2025-09-27T10:04:00Z') / 1000}`)).toBeLessThanOrEqual(1000);
    expect(await ttl(`hour:${at('2025-09-27T10:00:00Z') / 1000}`)).toBeGreaterThan(3600_000 - 5 * 60_000 - 2000);
    expect(await ttl(`day:${at('2025-09-27T00:00:00Z') / 1000}`)).toBeGreaterThan(86400_000 - 11 * 3600_000);
  });

  it('sends the decisions of one event-loop turn as one script call, deciding them in order', async () => {
    const client = connection.client as import('redis').RedisClientType;
    await subject.store.hit('warm-up', tiers(5, 5, 5));
    const send = jest.spyOn(client, 'sendCommand');
    try {
      const sameBucket = Array.from({ length: IN_ONE_TURN }, () =>
        subject.store.hit('k3', tiers(BATCH_LIMIT, 100, 100)),
      );
      const otherBuckets = Array.from({ length: IN_ONE_TURN }, (_, i) => subject.store.hit(`k4-${i}`, tiers(5, 5, 5)));
      const decided = await Promise.all(sameBucket);
      expect(decided.filter((decision) => decision.allowed)).toHaveLength(BATCH_LIMIT);
      expect(decided.slice(0, BATCH_LIMIT).every((decision) => decision.allowed)).toBe(true);
      expect((await Promise.all(otherBuckets)).every((decision) => decision.counts[0] === 1)).toBe(true);
      expect(send).toHaveBeenCalledTimes(1);
    } finally {
      send.mockRestore();
    }
  });

  it('loads the script again after SCRIPT FLUSH', async () => {
    await (connection.client as import('redis').RedisClientType).scriptFlush();
    expect(await subject.store.hit('k2', tiers(5, 5, 5))).toMatchObject({ allowed: true, counts: [1, 1, 1] });
  });
});
