import { expect } from '@jest/globals';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import type { ReadinessDto } from '../src/health/dto/health.dto';
import { registerUser } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { bodyOf } from './support/http';
import { planLimits } from './support/plans';
import { awaitRoomInMinute } from './support/rate-limit';
import { RedisServerProcess, waitFor } from './support/redis-servers';
import { startTestApp, TestApp } from './support/test-app';

/** The suite's own Redis, killed and restarted mid-test (never the shared one on 6379). */
const OUTAGE_REDIS_PORT = 6391;
/** A key's own minute limit, used up in memory while Redis is down. */
const KEY_MINUTE_LIMIT = 5;
/** Requests counted on Redis before it goes down. */
const REQUESTS_BEFORE_OUTAGE = 2;

describe('Per-key rate limits through a Redis outage', () => {
  const redis = new RedisServerProcess(OUTAGE_REDIS_PORT);
  let t: TestApp;
  let warn: jest.SpyInstance;
  beforeAll(async () => {
    await redis.start();
    t = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${OUTAGE_REDIS_PORT}` } });
    warn = jest.spyOn(Logger.prototype, 'warn');
  }, 60_000);
  afterAll(async () => {
    warn.mockRestore();
    await t?.close();
    await redis.stop();
  });

  it('keeps answering and limiting in memory while Redis is down, reports degraded, and goes back to Redis', async () => {
    await awaitRoomInMinute(25_000);
    const { token } = await registerUser(t.http);
    const { id, key } = await createApiKey(t.http, token, { rate_limit_requests_per_minute: KEY_MINUTE_LIMIT });
    const whoami = () => request(t.http).get('/whoami').set('Authorization', `Bearer ${key}`);
    const minuteKey = async () => (await redis.cli('--scan', '--pattern', `*rl:{${id}}:minute:*`)) || undefined;

    for (let i = 0; i < REQUESTS_BEFORE_OUTAGE; i++) await whoami().expect(200);
    expect(await redis.cli('GET', (await minuteKey())!)).toBe(String(REQUESTS_BEFORE_OUTAGE));

    // The in-memory fallback starts counting afresh: the whole limit passes, then 429s.
    await redis.kill();
    const during = [];
    for (let i = 0; i < KEY_MINUTE_LIMIT + 2; i++) during.push(await whoami());
    expect(during.map((res) => res.status)).toEqual([...Array<number>(KEY_MINUTE_LIMIT).fill(200), 429, 429]);
    expect(during[KEY_MINUTE_LIMIT - 1].headers['x-ratelimit-remaining']).toBe('0');
    expect(during[5].body).toMatchObject({ error: 'Rate limit exceeded', window: 'minute' });
    const ready = await request(t.http).get('/health/ready');
    expect(ready.status).toBeLessThan(500);
    expect(ready.body).toMatchObject({ status: 'degraded', checks: { redis: { status: 'down', backend: 'redis' } } });
    const fallbackLogs = warn.mock.calls.filter(([message]) =>
      String(message).includes('Rate limits counted per instance in memory'),
    );
    expect(fallbackLogs).toHaveLength(1);

    await redis.start();
    await waitFor(
      async () => bodyOf<ReadinessDto>(await request(t.http).get('/health/ready')).status === 'ok',
      'readiness back to ok',
    );
    await waitFor(async () => {
      await whoami();
      return (await minuteKey()) !== undefined;
    }, 'rate limits back on Redis');
    const counted = Number(await redis.cli('GET', (await minuteKey())!));
    await whoami();
    expect(Number(await redis.cli('GET', (await minuteKey())!))).toBe(counted + 1);
  });

  it('answers within REDIS_COMMAND_TIMEOUT_MS when Redis hangs, and goes back to it when it wakes up', async () => {
    await awaitRoomInMinute(25_000);
    const { token } = await registerUser(t.http);
    const { id, key } = await createApiKey(t.http, token, {});
    const whoami = () => request(t.http).get('/whoami').set('Authorization', `Bearer ${key}`);
    const minuteCount = async () =>
      Number(await redis.cli('GET', await redis.cli('--scan', '--pattern', `*rl:{${id}}:minute:*`)));
    await whoami().expect(200);
    expect(await minuteCount()).toBe(1);

    redis.freeze();
    try {
      const timeoutMs = t.config.redisCommandTimeoutMs;
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        const res = await whoami().expect(200);
        expect(Date.now() - started).toBeLessThan(timeoutMs + 500);
        expect(res.headers['x-ratelimit-limit']).toBe(String(planLimits('free').minute));
      }
      const started = Date.now();
      const ready = await request(t.http).get('/health/ready');
      expect(Date.now() - started).toBeLessThan(timeoutMs + 500);
      expect(ready.body).toMatchObject({ status: 'degraded', checks: { redis: { status: 'down' } } });
    } finally {
      redis.thaw();
    }
    await waitFor(async () => {
      const before = await minuteCount();
      await whoami();
      return (await minuteCount()) === before + 1;
    }, 'rate limits back on Redis');
  });
});
