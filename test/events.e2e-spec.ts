import { expect } from '@jest/globals';
import request from 'supertest';
import type { ApiKeyResponseDto, RotatedApiKeyResponseDto } from '../src/api-keys/dto/api-key-response.dto';
import type { AuditLogResponseDto } from '../src/audit-log/dto/audit-log-response.dto';
import { createApiKey, VIEW_FIELDS } from './support/api-keys';
import { bodyOf } from './support/http';
import { startTestApp, TestApp } from './support/test-app';
import { SETUP_TIMEOUT_MS } from './support/sdk';
import { eventually } from './support/usage';
import { ReceivedDelivery, WebhookReceiver } from './support/webhook-receiver';
import { createWebhook, LOCAL_RECEIVER_ENV, proAccount, ProAccount } from './support/webhooks';

const ADMIN_EMAIL = 'ops@tunetrail.test';
const ADMIN_PASSWORD = 'operator password 1';
const EVENTS_ENV = {
  ...LOCAL_RECEIVER_ENV,
  WEBHOOK_POLL_INTERVAL_MS: '50',
  API_KEY_EXPIRY_CHECK_INTERVAL_MS: '100',
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
};
const ENTERPRISE_LIMITS = { minute: 1000, hour: 20000, day: 300000 };
/** Time for anything that would fire twice to have fired. */
const SETTLE_MS = 1500;
const DAY_LIMIT = 5;
const MINUTE_LIMIT = 2;

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

describe('Events: each type fires once for its cause, delivered and in the audit log', () => {
  let t: TestApp;
  let account: ProAccount;
  let receiver: WebhookReceiver;

  const forKey = (type: string, keyId: string): ReceivedDelivery[] =>
    receiver.ofType(type).filter((d) => (d.body.data.api_key as { id: string }).id === keyId);
  const auditLog = async (type: string) =>
    bodyOf<AuditLogResponseDto>(
      await request(t.http).get(`/audit-log?type=${type}`).set('Authorization', `Bearer ${account.token}`),
    );
  const whoami = (key: string) => request(t.http).get('/whoami').set('Authorization', `Bearer ${key}`);

  beforeAll(async () => {
    t = await startTestApp({ env: EVENTS_ENV });
    account = await proAccount(t);
    receiver = await WebhookReceiver.start();
    receiver.secret = (await createWebhook(t, account.key, receiver.url, ['*'])).secret;
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('api_key.created, updated, rotated, revoked and deleted fire once each, with the key as the routes show it', async () => {
    const jwt = { Authorization: `Bearer ${account.token}` };
    const created = await createApiKey(t.http, account.token, { name: 'lifecycle' });
    const patched = await request(t.http).patch(`/api-keys/${created.id}`).set(jwt).send({ name: 'renamed' });
    expect(patched.status).toBe(200);
    const rotated = await request(t.http).post(`/api-keys/${created.id}/rotate`).set(jwt).send({});
    expect(rotated.status).toBe(201);
    const newId = bodyOf<RotatedApiKeyResponseDto>(rotated).id;
    for (let i = 0; i < 2; i++)
      expect((await request(t.http).post(`/api-keys/${newId}/revoke`).set(jwt)).status).toBe(200);
    expect((await request(t.http).delete(`/api-keys/${newId}`).set(jwt)).status).toBe(204);

    await eventually(
      () => Promise.resolve(forKey('api_key.deleted', newId).length),
      (n) => n >= 1,
    );
    await settle();
    const [createdEvent] = forKey('api_key.created', created.id);
    expect(forKey('api_key.created', created.id)).toHaveLength(1);
    const { api_key: _secret, ...shown } = created.body;
    expect(_secret).toMatch(/^tt_/);
    expect(createdEvent.body.data).toEqual({ api_key: shown });
    expect(JSON.stringify(receiver.received)).not.toContain(created.key);

    const updated = forKey('api_key.updated', created.id);
    expect(updated).toHaveLength(1);
    expect(updated[0].body.data).toEqual({ api_key: bodyOf<ApiKeyResponseDto>(patched), changes: ['name'] });

    const rotatedEvents = forKey('api_key.rotated', created.id);
    expect(rotatedEvents).toHaveLength(1);
    expect(rotatedEvents[0].body.data).toMatchObject({
      rotated_to: newId,
      api_key: { id: created.id, is_active: false, revoked_reason: 'rotated' },
    });
    expect(forKey('api_key.created', newId)).toHaveLength(0);
    expect(forKey('api_key.revoked', created.id)).toHaveLength(0);

    const revoked = forKey('api_key.revoked', newId);
    expect(revoked).toHaveLength(1);
    expect(revoked[0].body.data).toMatchObject({ api_key: { id: newId, revoked_reason: 'revoked' } });
    expect(forKey('api_key.deleted', newId)).toHaveLength(1);
    expect([...receiver.received].every((d) => d.verified)).toBe(true);

    const log = await auditLog('api_key.revoked');
    const entry = log.data.find((e) => (e.data.api_key as { id: string }).id === newId)!;
    expect(entry.actor).toEqual({ type: 'user', id: account.userId });
    expect(entry.ip).toMatch(/127\.0\.0\.1/);
  });

  it('plan.changed names the plan and the previous one, with the admin as actor', async () => {
    const login = await request(t.http).post('/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const { access_token } = bodyOf<{ access_token: string }>(login);
    const admin = bodyOf<{ id: string }>(
      await request(t.http).get('/auth/me').set('Authorization', `Bearer ${access_token}`),
    );
    const res = await request(t.http)
      .put(`/admin/users/${account.userId}/plan`)
      .set('Authorization', `Bearer ${access_token}`)
      .send({
        plan: 'enterprise',
        rate_limit_requests_per_minute: ENTERPRISE_LIMITS.minute,
        rate_limit_requests_per_hour: ENTERPRISE_LIMITS.hour,
        rate_limit_requests_per_day: ENTERPRISE_LIMITS.day,
      });
    expect(res.status).toBe(200);
    await eventually(
      () => Promise.resolve(receiver.ofType('plan.changed').length),
      (n) => n >= 1,
    );
    await settle();
    const changed = receiver.ofType('plan.changed');
    expect(changed).toHaveLength(1);
    expect(changed[0].body.data).toEqual({ plan: 'enterprise', previous_plan: 'pro', rate_limits: ENTERPRISE_LIMITS });
    const log = await auditLog('plan.changed');
    expect(log.data[0].actor).toEqual({ type: 'admin', id: admin.id });
  });

  it('usage.threshold at 80 % and 100 % of the day limit, and rate_limit.exceeded once per window period', async () => {
    const key = await createApiKey(t.http, account.token, { rate_limit_requests_per_day: DAY_LIMIT });
    const statuses: number[] = [];
    for (let i = 0; i < DAY_LIMIT + 3; i++) statuses.push((await whoami(key.key)).status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);

    await eventually(
      () => Promise.resolve(forKey('usage.threshold', key.id).length + forKey('rate_limit.exceeded', key.id).length),
      (n) => n >= 3,
    );
    await settle();
    const thresholds = forKey('usage.threshold', key.id);
    expect(thresholds.map((d) => d.body.data.threshold).sort()).toEqual([100, 80]);
    expect(thresholds[0].body.data).toMatchObject({ window: 'day', limit: DAY_LIMIT, reset_at: expect.any(String) });
    const exceeded = forKey('rate_limit.exceeded', key.id);
    expect(exceeded).toHaveLength(1);
    expect(exceeded[0].body.data).toMatchObject({ window: 'day', limit: DAY_LIMIT, reset_at: expect.any(String) });
    expect(Object.keys(exceeded[0].body.data.api_key as object).sort()).toEqual(VIEW_FIELDS);
    expect([...thresholds, ...exceeded].every((d) => d.verified)).toBe(true);

    const log = await auditLog('rate_limit.exceeded');
    expect(log.data.find((e) => (e.data.api_key as { id: string }).id === key.id)?.actor).toEqual({
      type: 'api_key',
      id: key.id,
    });
  });

  it('rate_limit.exceeded names the minute window when that refuses', async () => {
    // Stay inside one minute window.
    const secondsIntoMinute = new Date().getUTCSeconds();
    if (secondsIntoMinute > 50) await new Promise((resolve) => setTimeout(resolve, (61 - secondsIntoMinute) * 1000));
    const key = await createApiKey(t.http, account.token, { rate_limit_requests_per_minute: MINUTE_LIMIT });
    for (let i = 0; i < MINUTE_LIMIT + 3; i++) await whoami(key.key);
    await eventually(
      () => Promise.resolve(forKey('rate_limit.exceeded', key.id).length),
      (n) => n >= 1,
    );
    await settle();
    const exceeded = forKey('rate_limit.exceeded', key.id);
    expect(exceeded).toHaveLength(1);
    expect(exceeded[0].body.data).toMatchObject({ window: 'minute', limit: MINUTE_LIMIT });
  });

  it('api_key.expiring 7 days and 1 day before expires_at, and api_key.expired, once each', async () => {
    const inFiveDays = await createApiKey(t.http, account.token, { expires_in_days: 5 });
    const inOneDay = await createApiKey(t.http, account.token, { expires_in_days: 1 });
    const soon = await createApiKey(t.http, account.token);
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const patched = await request(t.http)
      .patch(`/api-keys/${soon.id}`)
      .set('Authorization', `Bearer ${account.token}`)
      .send({ expires_at: expiresAt });
    expect(patched.status).toBe(200);

    await eventually(
      () => Promise.resolve(forKey('api_key.expired', soon.id).length),
      (n) => n >= 1,
    );
    await settle();
    expect(forKey('api_key.expiring', inFiveDays.id).map((d) => d.body.data.days_before)).toEqual([7]);
    expect(forKey('api_key.expiring', inOneDay.id).map((d) => d.body.data.days_before)).toEqual([1]);
    expect(forKey('api_key.expiring', soon.id).map((d) => d.body.data.days_before)).toEqual([1]);
    const expired = forKey('api_key.expired', soon.id);
    expect(expired).toHaveLength(1);
    expect(expired[0].body.data).toMatchObject({
      expires_at: bodyOf<ApiKeyResponseDto>(patched).expires_at,
      api_key: { id: soon.id },
    });
    expect(forKey('api_key.expired', inOneDay.id)).toHaveLength(0);
    const log = await auditLog('api_key.expired');
    expect(log.data.find((e) => (e.data.api_key as { id: string }).id === soon.id)?.actor).toEqual({
      type: 'system',
      id: null,
    });
  });

  it('the audit log lists the account’s events newest first, filtered by type and paginated', async () => {
    const all = await request(t.http).get('/audit-log?limit=2').set('Authorization', `Bearer ${account.token}`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ limit: 2, offset: 0, total: expect.any(Number) });
    const { data } = bodyOf<AuditLogResponseDto>(all);
    expect(data).toHaveLength(2);
    const [newer, older] = data;
    expect(newer.created_at >= older.created_at).toBe(true);
    expect(Object.keys(newer).sort()).toEqual(['actor', 'created_at', 'data', 'id', 'ip', 'type']);
    expect(Object.keys(newer.actor).sort()).toEqual(['id', 'type']);
    const bad = await request(t.http).get('/audit-log?type=nope').set('Authorization', `Bearer ${account.token}`);
    expect(bad.status).toBe(400);
    expect((await request(t.http).get('/audit-log').set('Authorization', `Bearer ${account.key}`)).status).toBe(401);
  });
});
