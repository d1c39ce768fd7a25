import { expect } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { BillingResponseDto } from '../src/billing/dto/billing-response.dto';
import type { UsageRecord } from '../src/usage/usage-record';
import { UsagePartitions } from '../src/usage/usage-partitions';
import { UsageRepository } from '../src/usage/usage.repository';
import { encodeUsageRows } from '../src/usage/usage-writer';
import { registerUser, setPlan } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { bodyOf, errorOf } from './support/http';
import { startTestApp, TestApp } from './support/test-app';
import { SETUP_TIMEOUT_MS } from './support/sdk';
import { eventually } from './support/usage';

const DAY_MS = 86_400_000;

/** One CSV line, parsed. */
interface CsvDay {
  date: string;
  total_requests: number;
  successful_requests: number;
  failed_requests: number;
}
const OK_REQUESTS = 4;
const FAILED_REQUESTS = 2;
/** Rows inserted last month: [day of month, total, failed]. */
const PAST_ROWS: [number, number, number][] = [
  [3, 5, 2],
  [10, 3, 0],
];
const PRO_LIMITS = { minute: 300, hour: 10000, day: 100000 };

const monthOf = (date: Date): string => date.toISOString().slice(0, 7);
const lastMonthStart = (now: Date): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
const daysInMonth = (start: Date): number =>
  new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate();

describe('Billing: the month computed from the usage rows', () => {
  let t: TestApp;
  let token: string;
  let userId: string;
  let key: string;
  let keyId: string;
  const now = new Date();
  const past = lastMonthStart(now);

  const get = (path: string) => request(t.http).get(path).set('Authorization', `Bearer ${key}`);
  const rowCount = async (): Promise<number> => {
    const [{ count }] = await t.app
      .get(DataSource)
      .query<{ count: number }[]>('SELECT count(*)::int AS count FROM api_key_usage WHERE user_id = $1', [userId]);
    return count;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const registered = await registerUser(t.http);
    token = registered.token;
    userId = registered.user.id;
    await setPlan(t, userId, 'pro');
    const created = await createApiKey(t.http, token, { scopes: ['admin:billing', 'read:tracks'] });
    key = created.key;
    keyId = created.id;
    // Last month's partitions, then its rows, as the usage writer would have stored them.
    await t.app.get(UsagePartitions).maintain(Math.ceil((now.getTime() - past.getTime()) / DAY_MS) + 1);
    const rows: UsageRecord[] = PAST_ROWS.flatMap(([day, total, failed]) =>
      Array.from({ length: total }, (_, i) => ({
        apiKeyId: keyId,
        userId,
        method: 'GET',
        route: '/tracks',
        statusCode: i < failed ? 500 : 200,
        responseTimeMs: 3,
        clientIp: '127.0.0.1',
        createdAt: Date.UTC(past.getUTCFullYear(), past.getUTCMonth(), day, 12),
      })),
    );
    await t.app.get(UsageRepository).insertEncoded(randomUUID(), encodeUsageRows(rows).parameters);
    // This month's rows: real requests (one key, two kinds of answers).
    for (let i = 0; i < OK_REQUESTS; i++) expect((await get('/whoami')).status).toBe(200);
    for (let i = 0; i < FAILED_REQUESTS; i++) expect((await get(`/tracks/${randomUUID()}`)).status).toBe(404);
    await eventually(rowCount, (n) => n === OK_REQUESTS + FAILED_REQUESTS + PAST_ROWS.reduce((s, [, n2]) => s + n2, 0));
  }, SETUP_TIMEOUT_MS);
  afterAll(() => t.close());

  it('shows this month: the requests made in the test, today, and every day so far', async () => {
    const res = await get('/billing');
    expect(res.status).toBe(200);
    const today = now.toISOString().slice(0, 10);
    expect(res.body).toMatchObject({
      plan: 'pro',
      rate_limits: PRO_LIMITS,
      period_start: `${monthOf(now)}-01T00:00:00.000Z`,
      requests_this_period: OK_REQUESTS + FAILED_REQUESTS,
      failed_requests_this_period: FAILED_REQUESTS,
      requests_today: OK_REQUESTS + FAILED_REQUESTS,
      active_keys: 1,
    });
    const { by_day } = bodyOf<BillingResponseDto>(res);
    expect(by_day).toHaveLength(now.getUTCDate());
    expect(by_day.at(-1)).toEqual({
      date: today,
      total_requests: OK_REQUESTS + FAILED_REQUESTS,
      failed_requests: FAILED_REQUESTS,
    });
  });

  it('shows a past month from its rows, every day of it, zeros included', async () => {
    const res = await get(`/billing?period=${monthOf(past)}`);
    expect(res.status).toBe(200);
    const pastTotal = PAST_ROWS.reduce((sum, [, total]) => sum + total, 0);
    const pastFailed = PAST_ROWS.reduce((sum, [, , failed]) => sum + failed, 0);
    expect(res.body).toMatchObject({
      period_start: past.toISOString(),
      period_end: new Date(Date.UTC(past.getUTCFullYear(), past.getUTCMonth() + 1, 1)).toISOString(),
      requests_this_period: pastTotal,
      failed_requests_this_period: pastFailed,
    });
    const body = bodyOf<BillingResponseDto>(res);
    expect(body.requests_today).toBeGreaterThanOrEqual(OK_REQUESTS + FAILED_REQUESTS);
    expect(body.by_day).toHaveLength(daysInMonth(past));
    const busy = body.by_day.filter((day) => day.total_requests > 0);
    expect(busy).toEqual(
      PAST_ROWS.map(([day, total, failed]) => ({
        date: `${monthOf(past)}-${String(day).padStart(2, '0')}`,
        total_requests: total,
        failed_requests: failed,
      })),
    );
  });

  it('answers the past month as CSV that parses and matches the JSON', async () => {
    const period = monthOf(past);
    const res = await get(`/billing/usage.csv?period=${period}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="tunetrail-usage-${period}.csv"`);
    const rows = parse<CsvDay>(res.text, {
      columns: true,
      cast: (value, context) => (context.header || context.column === 'date' ? value : Number(value)),
    });
    expect(res.text.split('\n')[0]).toBe('date,total_requests,successful_requests,failed_requests');
    const json = bodyOf<BillingResponseDto>(await get(`/billing?period=${period}`)).by_day;
    expect(rows).toEqual(
      json.map((day) => ({ ...day, successful_requests: day.total_requests - day.failed_requests })),
    );
    const [day, total, failed] = PAST_ROWS[0];
    expect(rows[day - 1]).toEqual({
      date: `${period}-${String(day).padStart(2, '0')}`,
      total_requests: total,
      successful_requests: total - failed,
      failed_requests: failed,
    });
  });

  it.each(['2026-13', 'abc', '2026-1', `${now.getUTCFullYear() + 1}-01`])(
    'refuses period=%s with 400',
    async (period) => {
      const res = await get(`/billing?period=${period}`);
      expect(res.status).toBe(400);
      expect(errorOf(res).details?.[0].field).toBe('period');
      expect((await get(`/billing/usage.csv?period=${period}`)).status).toBe(400);
    },
  );

  it('is for Pro and up (403 plan below)', async () => {
    const starter = await registerUser(t.http);
    await setPlan(t, starter.user.id, 'pro');
    const starterKey = await createApiKey(t.http, starter.token, { scopes: ['admin:billing'] });
    await setPlan(t, starter.user.id, 'starter');
    const res = await request(t.http).get('/billing').set('Authorization', `Bearer ${starterKey.key}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ required_scopes: ['admin:billing'], reason: 'plan' });
  });
});
