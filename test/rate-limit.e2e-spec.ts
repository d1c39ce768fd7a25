import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { registerUser, setPlan } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { bodyOf, errorOf } from './support/http';
import { asResponse, asSchema, jsonSchemaOf, openApiDocument, operationOf } from './support/openapi';
import { planLimits } from './support/plans';
import { awaitRoomInMinute, policyOf, RateLimitedBody, secondsLeftInMinute } from './support/rate-limit';
import {
  createTestDatabase,
  REAL_POSTGRES,
  REAL_REDIS,
  startTestApp,
  TestApp,
  uniqueRedisPrefix,
} from './support/test-app';

/** Ends of the current UTC minute, hour and day as `X-RateLimit-Reset` writes them. */
function resets(): { minute: string; hour: string; day: string } {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
  const now = Date.now();
  const next = (span: number) => iso(now - (now % span) + span);
  return { minute: next(60_000), hour: next(3_600_000), day: next(86_400_000) };
}

const FREE = planLimits('free');
const PRO = planLimits('pro');
/** A key's own minute limit, below the free plan's. */
const KEY_MINUTE_LIMIT = 5;
/** A minute limit that is used up after two requests. */
const TINY_MINUTE_LIMIT = 2;
/** An hour limit below the minute limit, so the hour is the tightest window. */
const KEY_HOUR_LIMIT = 3;
/** A key's own minute limit on pro, above the free plan's. */
const OWN_LIMIT_ON_PRO = 200;
/** A key's minute limit shared by two instances, and the requests sent to them at once. */
const SHARED_KEY_MINUTE_LIMIT = 10;
const CONCURRENT_REQUESTS = 40;

const rateLimitedOf = (res: request.Response) => bodyOf<RateLimitedBody>(res);
const whoami = (t: TestApp, key: string) => request(t.http).get('/whoami').set('Authorization', `Bearer ${key}`);

describe('Per-key rate limits', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    token = (await registerUser(t.http)).token;
  });
  afterAll(() => t.close());
  beforeEach(() => awaitRoomInMinute());

  it(`counts request by request and refuses the ${KEY_MINUTE_LIMIT + 1}th of a ${KEY_MINUTE_LIMIT}-a-minute key with the guide body and Retry-After`, async () => {
    const { key } = await createApiKey(t.http, token, { rate_limit_requests_per_minute: KEY_MINUTE_LIMIT });
    const { minute, hour, day } = resets();
    for (let remaining = KEY_MINUTE_LIMIT - 1; remaining >= 0; remaining--) {
      const res = await whoami(t, key).expect(200);
      expect(res.headers).toMatchObject({
        'x-ratelimit-limit': String(KEY_MINUTE_LIMIT),
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': minute,
        'ratelimit-policy': policyOf({ ...FREE, minute: KEY_MINUTE_LIMIT }),
      });
      expect(res.headers.ratelimit).toMatch(new RegExp(`^"minute";r=${remaining};t=(\\d+)$`));
      expect(Math.abs(Number(res.headers.ratelimit.split('t=')[1]) - secondsLeftInMinute())).toBeLessThanOrEqual(1);
    }

    const refused = await whoami(t, key).expect(429);
    expect(refused.body).toEqual({
      error: 'Rate limit exceeded',
      window: 'minute',
      reset_at: minute,
      rate_limit_info: {
        minute: { limit: KEY_MINUTE_LIMIT, remaining: 0, reset_at: minute },
        hour: { limit: FREE.hour, remaining: FREE.hour - KEY_MINUTE_LIMIT, reset_at: hour },
        day: { limit: FREE.day, remaining: FREE.day - KEY_MINUTE_LIMIT, reset_at: day },
      },
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(Math.abs(retryAfter - secondsLeftInMinute())).toBeLessThanOrEqual(1);
    expect(refused.headers).toMatchObject({
      'x-ratelimit-limit': String(KEY_MINUTE_LIMIT),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': minute,
    });
    expect(refused.headers.ratelimit).toMatch(/^"minute";r=0;t=\d+$/);
  });

  it('counts refused requests in no window', async () => {
    const { key } = await createApiKey(t.http, token, { rate_limit_requests_per_minute: TINY_MINUTE_LIMIT });
    for (let i = 0; i < TINY_MINUTE_LIMIT; i++) await whoami(t, key).expect(200);
    for (let i = 0; i < 5; i++) {
      const { hour, day } = rateLimitedOf(await whoami(t, key).expect(429)).rate_limit_info;
      expect(hour.remaining).toBe(FREE.hour - TINY_MINUTE_LIMIT);
      expect(day.remaining).toBe(FREE.day - TINY_MINUTE_LIMIT);
    }
  });

  it('reports the window with the fewest requests left', async () => {
    const { key } = await createApiKey(t.http, token, {
      rate_limit_requests_per_minute: FREE.minute,
      rate_limit_requests_per_hour: KEY_HOUR_LIMIT,
    });
    const { hour } = resets();
    const first = await whoami(t, key).expect(200);
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': String(KEY_HOUR_LIMIT),
      'x-ratelimit-remaining': String(KEY_HOUR_LIMIT - 1),
      'x-ratelimit-reset': hour,
    });
    expect(first.headers.ratelimit).toMatch(new RegExp(`^"hour";r=${KEY_HOUR_LIMIT - 1};t=\\d+$`));
    for (let i = 1; i < KEY_HOUR_LIMIT; i++) await whoami(t, key).expect(200);
    const refused = await whoami(t, key).expect(429);
    expect(refused.body).toMatchObject({
      window: 'hour',
      reset_at: hour,
      rate_limit_info: { minute: { limit: FREE.minute, remaining: FREE.minute - KEY_HOUR_LIMIT } },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(secondsLeftInMinute() - 2);
  });

  it('puts the headers on error responses of requests that reached the limiter, and on no others', async () => {
    const { key } = await createApiKey(t.http, token, {
      rate_limit_requests_per_minute: KEY_MINUTE_LIMIT,
      scopes: ['read:tracks'],
    });
    const notFound = await request(t.http)
      .get(`/tracks/${randomUUID()}`)
      .set('Authorization', `Bearer ${key}`)
      .expect(404);
    expect(notFound.headers['x-ratelimit-remaining']).toBe(String(KEY_MINUTE_LIMIT - 1));
    const missingScope = await request(t.http)
      .delete(`/tracks/${randomUUID()}`)
      .set('Authorization', `Bearer ${key}`)
      .expect(403);
    expect(errorOf(missingScope).reason).toBe('missing_scope');
    expect(missingScope.headers['x-ratelimit-remaining']).toBe(String(KEY_MINUTE_LIMIT - 2));

    const restricted = await createApiKey(t.http, token, { allowed_ips: ['203.0.113.7'] });
    const ipRefused = await whoami(t, restricted.key).expect(403);
    expect(ipRefused.body).toEqual({ error: 'IP address not allowed' });
    expect(ipRefused.headers['x-ratelimit-limit']).toBeUndefined();
    const unknown = await whoami(t, 'tt_' + 'A'.repeat(32)).expect(401);
    expect(unknown.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('documents the 429, its body and its headers on every API-key route', async () => {
    const tooMany = asResponse(operationOf(await openApiDocument(t.http), '/whoami', 'get')?.responses['429']);
    expect(Object.keys(tooMany?.headers ?? {})).toEqual(
      expect.arrayContaining([
        'Retry-After',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
        'RateLimit-Policy',
        'RateLimit',
      ]),
    );
    expect(Object.keys(asSchema(jsonSchemaOf(tooMany))?.properties ?? {})).toEqual([
      'error',
      'window',
      'reset_at',
      'rate_limit_info',
    ]);
  });

  it('lowers an existing key to the plan limits at once on a downgrade', async () => {
    const owner = await registerUser(t.http);
    await setPlan(t, owner.user.id, 'pro');
    const planLimited = await createApiKey(t.http, owner.token);
    const ownLimit = await createApiKey(t.http, owner.token, { rate_limit_requests_per_minute: OWN_LIMIT_ON_PRO });
    expect((await whoami(t, planLimited.key).expect(200)).headers['ratelimit-policy']).toBe(policyOf(PRO));
    expect((await whoami(t, ownLimit.key).expect(200)).headers['x-ratelimit-limit']).toBe(String(OWN_LIMIT_ON_PRO));

    await setPlan(t, owner.user.id, 'free');
    for (const { key } of [planLimited, ownLimit]) {
      const res = await whoami(t, key).expect(200);
      expect(res.headers['ratelimit-policy']).toBe(policyOf(FREE));
      // Its second request of the minute: one on pro, this one on free.
      expect(res.headers).toMatchObject({
        'x-ratelimit-limit': String(FREE.minute),
        'x-ratelimit-remaining': String(FREE.minute - 2),
      });
    }
  });
});

// Two instances need one database (PostgreSQL) and one Redis between them.
(REAL_POSTGRES && REAL_REDIS ? describe : describe.skip)('Per-key rate limits on two instances sharing Redis', () => {
  let first: TestApp;
  let second: TestApp;
  let dropDatabase: () => Promise<void>;
  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = () => database.drop();
    const redisKeyPrefix = uniqueRedisPrefix();
    first = await startTestApp({ database, redisKeyPrefix });
    second = await startTestApp({ database, redisKeyPrefix });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await dropDatabase();
  });
  beforeEach(() => awaitRoomInMinute());

  it('lets exactly R of 40 concurrent requests pass', async () => {
    const { token } = await registerUser(first.http);
    const { key } = await createApiKey(first.http, token, { rate_limit_requests_per_minute: SHARED_KEY_MINUTE_LIMIT });
    await whoami(first, key).expect(200);
    await whoami(second, key).expect(200);
    await whoami(second, key).expect(200);
    const left = SHARED_KEY_MINUTE_LIMIT - 3;

    const responses = await Promise.all(
      Array.from({ length: CONCURRENT_REQUESTS }, (_, i) => whoami(i % 2 ? second : first, key)),
    );
    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(left);
    expect(statuses.filter((status) => status === 429)).toHaveLength(CONCURRENT_REQUESTS - left);
    const remainingSeen = responses
      .filter((res) => res.status === 200)
      .map((res) => Number(res.headers['x-ratelimit-remaining']));
    expect(remainingSeen.sort((a, b) => a - b)).toEqual(Array.from({ length: left }, (_, i) => i));
  });
});
