import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { ApiKeyResponseDto } from '../src/api-keys/dto/api-key-response.dto';
import type { AccountUsageDto } from '../src/usage/dto/account-usage.dto';
import type { KeyUsageDto } from '../src/usage/dto/key-usage.dto';
import { UsageBuffer } from '../src/usage/usage-buffer';
import { BATCH_CLAIM_HOURS, UsagePartitions } from '../src/usage/usage-partitions';
import type { UsageRecord } from '../src/usage/usage-record';
import { UsageRecorder } from '../src/usage/usage-recorder';
import { encodeUsageRows, UsageWriter } from '../src/usage/usage-writer';
import { UsageRepository } from '../src/usage/usage.repository';
import { registerUser, RegisteredUser, setPlan } from './support/accounts';
import { createApiKey, CreatedKey } from './support/api-keys';
import { bodyOf } from './support/http';
import { startTestApp, TEST_USAGE_FLUSH_INTERVAL_MS, TestApp } from './support/test-app';
import { eventually } from './support/usage';

const DAY_MS = 86_400_000;
/** Every window of the mix key allows six requests: the seventh is its 429. */
const MIX_KEY_LIMIT = 6;
/** The period a key's usage covers without `?days=`, and the account's. */
const DEFAULT_KEY_USAGE_DAYS = 7;
const DEFAULT_ACCOUNT_USAGE_DAYS = 30;

const keyUsage = (res: request.Response) => bodyOf<KeyUsageDto>(res);
const accountUsage = (res: request.Response) => bodyOf<AccountUsageDto>(res);

describe('Usage rows and usage analytics', () => {
  let t: TestApp;
  let owner: RegisteredUser;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await registerUser(t.http);
  });
  afterAll(() => t.close());

  const usageOf = (key: CreatedKey, query = '', token = owner.token) =>
    request(t.http).get(`/api-keys/${key.id}/usage${query}`).set('Authorization', `Bearer ${token}`);
  const call = (key: CreatedKey, method: 'get' | 'delete', path: string) =>
    request(t.http)[method](path).set('Authorization', `Bearer ${key.key}`);

  it('counts a known mix of 200s, 404s, a 403 missing_scope and a 429 exactly, by route template and status', async () => {
    const key = await createApiKey(t.http, owner.token, {
      scopes: ['read:tracks'],
      rate_limit_requests_per_minute: MIX_KEY_LIMIT,
      rate_limit_requests_per_hour: MIX_KEY_LIMIT,
      rate_limit_requests_per_day: MIX_KEY_LIMIT,
    });
    for (let i = 0; i < 3; i++) await call(key, 'get', '/tracks').expect(200);
    for (let i = 0; i < 2; i++) await call(key, 'get', `/tracks/${randomUUID()}`).expect(404);
    const forbidden = await call(key, 'delete', `/tracks/${randomUUID()}`).expect(403);
    expect(forbidden.body).toMatchObject({ reason: 'missing_scope' });
    await call(key, 'get', '/tracks').expect(429);

    const res = await eventually(
      () => usageOf(key).expect(200),
      (r) => keyUsage(r).total_requests === MIX_KEY_LIMIT + 1,
    );
    const usage = keyUsage(res);
    expect(usage).toEqual({
      api_key_id: key.id,
      total_requests: 7,
      successful_requests: 3,
      failed_requests: 4,
      avg_response_time_ms: expect.any(Number),
      requests_by_endpoint: { '/tracks': 4, '/tracks/:id': 3 },
      requests_by_status_code: { '200': 3, '404': 2, '403': 1, '429': 1 },
      period_start: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/),
      period_end: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/),
    });
    expect(usage.avg_response_time_ms).toBeGreaterThan(0);
    expect(Math.round(usage.avg_response_time_ms * 10) / 10).toBe(usage.avg_response_time_ms);
    expect(Date.parse(usage.period_end) - Date.parse(usage.period_start)).toBe(DEFAULT_KEY_USAGE_DAYS * DAY_MS);
    expect(Math.abs(Date.parse(usage.period_end) - Date.now())).toBeLessThan(5000);

    // Still there a second time: nothing was counted twice.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(keyUsage(await usageOf(key).expect(200)).total_requests).toBe(MIX_KEY_LIMIT + 1);
  });

  it('stores each row with owner, method, route template, status, time, client IP and timestamp', async () => {
    const key = await createApiKey(t.http, owner.token);
    const before = Date.now();
    await call(key, 'get', `/tracks/${randomUUID()}`).expect(404);
    const rows = await eventually(
      () =>
        t.app
          .get(DataSource)
          .query<Record<string, unknown>[]>(
            'SELECT user_id, method, route, status_code, response_time_ms, client_ip, created_at FROM api_key_usage WHERE api_key_id = $1',
            [key.id],
          ),
      (found) => found.length === 1,
    );
    expect(rows[0]).toMatchObject({ user_id: owner.user.id, method: 'GET', route: '/tracks/:id', status_code: 404 });
    expect(rows[0].client_ip).toMatch(/127\.0\.0\.1/);
    expect(rows[0].response_time_ms).toBeGreaterThan(0);
    expect((rows[0].created_at as Date).getTime()).toBeGreaterThanOrEqual(before - 5);
  });

  it('counts a request refused for its IP address, and updates last_used_at', async () => {
    const key = await createApiKey(t.http, owner.token, { allowed_ips: ['203.0.113.7'] });
    await call(key, 'get', '/tracks').expect(403, { error: 'IP address not allowed' });
    const res = await eventually(
      () => usageOf(key).expect(200),
      (r) => keyUsage(r).total_requests === 1,
    );
    expect(keyUsage(res).requests_by_status_code).toEqual({ '403': 1 });
    const keyOf = (r: request.Response) => bodyOf<ApiKeyResponseDto>(r);
    const shown = await eventually(
      () => request(t.http).get(`/api-keys/${key.id}`).set('Authorization', `Bearer ${owner.token}`).expect(200),
      (r) => keyOf(r).last_used_at !== null,
    );
    expect(Date.now() - Date.parse(keyOf(shown).last_used_at!)).toBeLessThan(10_000);
  });

  it('answers a period of `days` days, 1 to 90', async () => {
    const key = await createApiKey(t.http, owner.token);
    for (const days of [1, 30, 90]) {
      const res = await usageOf(key, `?days=${days}`).expect(200);
      const { period_start, period_end } = keyUsage(res);
      expect(Date.parse(period_end) - Date.parse(period_start)).toBe(days * DAY_MS);
      expect(res.body).toMatchObject({ total_requests: 0, avg_response_time_ms: 0, requests_by_endpoint: {} });
    }
    for (const days of ['0', '91', '-1', '1.5', 'abc', '']) {
      const res = await usageOf(key, `?days=${days}`).expect(400);
      expect(res.body).toEqual({
        error: 'Validation failed',
        details: expect.arrayContaining([expect.objectContaining({ field: 'days' })]),
      });
    }
  });

  it("is 404 for another user's key and for a deleted key, 400 for a malformed id, 401 without a JWT", async () => {
    const key = await createApiKey(t.http, owner.token);
    const stranger = await registerUser(t.http);
    await usageOf(key, '', stranger.token).expect(404, { error: 'Not found' });
    await usageOf(key, '', key.key).expect(401);
    await request(t.http).get('/api-keys/not-a-uuid/usage').set('Authorization', `Bearer ${owner.token}`).expect(400);
    await request(t.http).delete(`/api-keys/${key.id}`).set('Authorization', `Bearer ${owner.token}`).expect(204);
    await usageOf(key).expect(404);
  });

  it('counts a HEAD request once, under its route template', async () => {
    const key = await createApiKey(t.http, owner.token);
    await request(t.http).head(`/tracks/${randomUUID()}`).set('Authorization', `Bearer ${key.key}`).expect(404);
    const res = await eventually(
      () => usageOf(key).expect(200),
      (r) => keyUsage(r).total_requests > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await usageOf(key).expect(200)).body).toMatchObject({
      total_requests: 1,
      requests_by_endpoint: { '/tracks/:id': 1 },
    });
    expect(keyUsage(res).requests_by_status_code).toEqual({ '404': 1 });
  });

  describe('Daily usage partitions', () => {
    const partitionDates = async (): Promise<string[]> => {
      const rows = await t.app.get(DataSource).query<{ name: string }[]>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'api_key_usage'::regclass ORDER BY 1`,
      );
      return rows.map((row) => `${row.name.slice(-8, -4)}-${row.name.slice(-4, -2)}-${row.name.slice(-2)}`);
    };
    const dayOffset = (days: number): string => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

    it('has partitions from yesterday to a week ahead, and drops whole ones past the retention', async () => {
      const dates = await partitionDates();
      expect(dates).toEqual(expect.arrayContaining([dayOffset(-1), dayOffset(0), dayOffset(7)]));
      const dataSource = t.app.get(DataSource);
      await dataSource.query('SELECT api_key_usage_maintain(100, 7, 3650)');
      expect((await partitionDates())[0]).toBe(dayOffset(-100));

      await t.app.get(UsagePartitions).maintain(1);
      const kept = await partitionDates();
      expect(t.config.usageRetentionDays).toBe(90);
      expect(kept[0]).toBe(dayOffset(-90));
      expect(kept.at(-1)).toBe(dayOffset(7));
    });

    it('creates the partition a late row needs instead of losing it', async () => {
      const key = await createApiKey(t.http, owner.token);
      const tenDaysAgo = Date.now() - 10 * DAY_MS;
      await t.app.get(DataSource).query(`DROP TABLE IF EXISTS api_key_usage_p${dayOffset(-10).replaceAll('-', '')}`);
      t.app.get(UsageRecorder).buffer.record({
        apiKeyId: key.id,
        userId: owner.user.id,
        method: 'GET',
        route: '/tracks',
        statusCode: 200,
        responseTimeMs: 2,
        clientIp: '127.0.0.1',
        createdAt: tenDaysAgo,
      });
      const res = await eventually(
        () => usageOf(key, '?days=30').expect(200),
        (r) => keyUsage(r).total_requests === 1,
      );
      expect(keyUsage(res).total_requests).toBe(1);
      expect(await partitionDates()).toContain(dayOffset(-10));
    });
  });

  describe('Usage batches written exactly once', () => {
    const BATCH_ROWS = 3;
    const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
    /** `count` rows of a key id of its own (usage rows have no foreign keys). */
    const rowsOfNewKey = (count: number): { keyId: string; rows: UsageRecord[] } => {
      const keyId = randomUUID();
      const rows = Array.from({ length: count }, (_, i) => ({
        apiKeyId: keyId,
        userId: owner.user.id,
        method: 'GET',
        route: '/tracks',
        statusCode: 200,
        responseTimeMs: 1 + i,
        clientIp: '127.0.0.1',
        createdAt: Date.now(),
      }));
      return { keyId, rows };
    };
    const rowsStored = async (keyId: string): Promise<number> => {
      const [{ count }] = await t.app
        .get(DataSource)
        .query<{ count: number }[]>('SELECT count(*)::int AS count FROM api_key_usage WHERE api_key_id = $1', [keyId]);
      return count;
    };

    it('inserts a batch written twice under one id once; the same rows under another id are another batch', async () => {
      const usage = t.app.get(UsageRepository);
      const { keyId, rows } = rowsOfNewKey(BATCH_ROWS);
      const { parameters } = encodeUsageRows(rows);
      const batchId = randomUUID();
      await usage.insertEncoded(batchId, parameters);
      await usage.insertEncoded(batchId, parameters);
      expect(await rowsStored(keyId)).toBe(BATCH_ROWS);
      await usage.insertEncoded(randomUUID(), parameters);
      expect(await rowsStored(keyId)).toBe(2 * BATCH_ROWS);
    });

    it('stores once a batch whose insert committed but failed for the writer (connection cut), when the buffer retries it', async () => {
      const usage = t.app.get(UsageRepository);
      const { keyId, rows } = rowsOfNewKey(BATCH_ROWS);
      let cutAfterCommit = true;
      const writer = new UsageWriter(
        async (batchId, parameters) => {
          await usage.insertEncoded(batchId, parameters);
          if (!cutAfterCommit) return;
          cutAfterCommit = false;
          throw new Error('Connection terminated unexpectedly');
        },
        {
          ensurePartitions: (daysBack) => t.app.get(UsagePartitions).maintain(daysBack),
          retentionDays: 90,
          logger: quiet,
        },
      );
      const attempts: string[] = [];
      const buffer = new UsageBuffer({
        maxRows: BATCH_ROWS,
        batchSize: BATCH_ROWS,
        flushIntervalMs: TEST_USAGE_FLUSH_INTERVAL_MS,
        logger: quiet,
        write: (batch, batchId) => {
          attempts.push(batchId);
          return writer.insert(batch, batchId);
        },
      });
      for (const row of rows) buffer.record(row);
      expect(await buffer.drain(10_000)).toBe(0);
      expect(attempts).toEqual([attempts[0], attempts[0]]);
      expect(await rowsStored(keyId)).toBe(BATCH_ROWS);
    });

    it(`deletes the claims older than ${BATCH_CLAIM_HOURS} hours at the periodic upkeep, and keeps the newer ones`, async () => {
      const dataSource = t.app.get(DataSource);
      const [expired, kept] = [randomUUID(), randomUUID()];
      await dataSource.query(
        `INSERT INTO usage_batches (id, written_at)
         VALUES ($1, now() - make_interval(hours => $3 + 1)), ($2, now() - make_interval(hours => $3 - 1))`,
        [expired, kept, BATCH_CLAIM_HOURS],
      );
      await t.app.get(UsagePartitions).upkeep();
      const left = await dataSource.query<{ id: string }[]>('SELECT id FROM usage_batches WHERE id = ANY($1::uuid[])', [
        [expired, kept],
      ]);
      expect(left.map(({ id }) => id)).toEqual([kept]);
    });
  });

  describe('Account analytics', () => {
    it("sums the account's keys, deleted ones included, by key, by day and by status", async () => {
      const pro = await registerUser(t.http);
      await setPlan(t, pro.user.id, 'pro');
      const reader = await createApiKey(t.http, pro.token, {
        name: 'dashboard',
        scopes: ['read:analytics', 'read:tracks'],
      });
      const doomed = await createApiKey(t.http, pro.token, { name: 'old worker' });
      const other = await createApiKey(t.http, owner.token);
      await call(other, 'get', '/tracks').expect(200);
      for (let i = 0; i < 2; i++) await call(doomed, 'get', '/tracks').expect(200);
      await call(doomed, 'get', `/tracks/${randomUUID()}`).expect(404);
      await call(reader, 'get', '/tracks').expect(200);
      await eventually(
        () => usageOf(doomed, '', pro.token).expect(200),
        (r) => keyUsage(r).total_requests === 3,
      );
      await eventually(
        () => usageOf(reader, '', pro.token).expect(200),
        (r) => keyUsage(r).total_requests === 1,
      );
      await request(t.http).delete(`/api-keys/${doomed.id}`).set('Authorization', `Bearer ${pro.token}`).expect(204);

      // The reader's 4th request is this one: a usage row too, but written after it answers.
      const res = await call(reader, 'get', '/analytics/usage').expect(200);
      const today = new Date().toISOString().slice(0, 10);
      expect(res.body).toEqual({
        period_start: expect.any(String),
        period_end: expect.any(String),
        total_requests: 4,
        successful_requests: 3,
        failed_requests: 1,
        requests_by_status_code: { '200': 3, '404': 1 },
        by_key: [
          {
            api_key_id: doomed.id,
            key_prefix: doomed.key.slice(0, 11),
            name: 'old worker',
            total_requests: 3,
            failed_requests: 1,
          },
          {
            api_key_id: reader.id,
            key_prefix: reader.key.slice(0, 11),
            name: 'dashboard',
            total_requests: 1,
            failed_requests: 0,
          },
        ],
        by_day: expect.any(Array),
      });
      const { period_start, period_end, by_day } = accountUsage(res);
      expect(Date.parse(period_end) - Date.parse(period_start)).toBe(DEFAULT_ACCOUNT_USAGE_DAYS * DAY_MS);
      expect(by_day).toHaveLength(DEFAULT_ACCOUNT_USAGE_DAYS + 1);
      expect(by_day.at(-1)).toEqual({ date: today, total_requests: 4, failed_requests: 1 });
      expect(by_day.slice(0, -1).every((d) => d.total_requests === 0)).toBe(true);

      const week = await call(reader, 'get', '/analytics/usage?days=7').expect(200);
      expect(accountUsage(week).by_day).toHaveLength(8);
      await call(reader, 'get', '/analytics/usage?days=91').expect(400);
    });

    it('needs the read:analytics scope', async () => {
      const key = await createApiKey(t.http, owner.token);
      const res = await call(key, 'get', '/analytics/usage').expect(403);
      expect(res.body).toMatchObject({ required_scopes: ['read:analytics'] });
    });
  });
});
