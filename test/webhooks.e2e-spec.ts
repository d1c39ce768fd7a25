import { expect } from '@jest/globals';
import request from 'supertest';
import type {
  CreatedWebhookResponseDto,
  WebhookDeliveryDto,
  WebhookDeliveryListResponseDto,
  WebhookListResponseDto,
  WebhookTestResponseDto,
} from '../src/webhooks/dto/webhook-response.dto';
import { registerUser } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { bodyOf, errorOf } from './support/http';
import {
  createTestDatabase,
  describeWithRealPostgres,
  startTestApp,
  TestApp,
  TestDatabase,
  uniqueRedisPrefix,
} from './support/test-app';
import { SETUP_TIMEOUT_MS } from './support/sdk';
import { eventually } from './support/usage';
import { WebhookReceiver } from './support/webhook-receiver';
import { createWebhook, LOCAL_RECEIVER_ENV, proAccount, ProAccount } from './support/webhooks';

/** A public address literal: the sandbox has no DNS, and nothing is delivered there in these tests. */
const PUBLIC_URL = 'https://93.184.215.14/hook';
const SECRET_FORMAT = /^whsec_[A-Za-z0-9+/]{43}=$/;
const SHORT_SCHEDULE = '1,1,1';
const FAST_POLL = { WEBHOOK_POLL_INTERVAL_MS: '50' };
const REFUSED_BY_DEFAULT = [
  'https://127.0.0.1/hook',
  'https://10.0.0.1/hook',
  'https://169.254.169.254/latest/meta-data',
  'https://[::1]/hook',
  'https://100.64.0.1/hook',
  'https://0.0.0.0/hook',
  'https://localhost/hook',
  'http://example.com/hook',
];
const ACCEPTED_WITH_SETTINGS = [
  'http://127.0.0.1/hook',
  'http://10.0.0.1/hook',
  'http://169.254.169.254/latest/meta-data',
  'http://[::1]/hook',
];

const deliveries = async (t: TestApp, key: string, id: string): Promise<WebhookDeliveryDto[]> =>
  bodyOf<WebhookDeliveryListResponseDto>(
    await request(t.http).get(`/webhooks/${id}/deliveries`).set('Authorization', `Bearer ${key}`),
  ).data;

const sendTest = async (t: TestApp, key: string, id: string): Promise<string> => {
  const res = await request(t.http).post(`/webhooks/${id}/test`).set('Authorization', `Bearer ${key}`);
  expect(res.status).toBe(202);
  return bodyOf<WebhookTestResponseDto>(res).event_id;
};

describe('Webhooks: endpoints', () => {
  let t: TestApp;
  let account: ProAccount;

  beforeAll(async () => {
    t = await startTestApp();
    account = await proAccount(t);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => t.close());

  const auth = () => ({ Authorization: `Bearer ${account.key}` });

  it('creates an endpoint and shows its whsec_ secret in the creation response only', async () => {
    const created = await request(t.http)
      .post('/webhooks')
      .set(auth())
      .send({ url: PUBLIC_URL, events: ['api_key.revoked'], description: 'ops' });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toEqual({
      id: expect.any(String),
      url: PUBLIC_URL,
      events: ['api_key.revoked'],
      description: 'ops',
      is_active: true,
      secret: expect.stringMatching(SECRET_FORMAT),
      created_at: expect.any(String),
    });
    const { id, secret } = bodyOf<CreatedWebhookResponseDto>(created);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);

    const got = await request(t.http).get(`/webhooks/${id}`).set(auth());
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty('secret');
    const list = await request(t.http).get('/webhooks').set(auth());
    expect(list.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(bodyOf<WebhookListResponseDto>(list).data[0]).not.toHaveProperty('secret');

    const patched = await request(t.http)
      .patch(`/webhooks/${id}`)
      .set(auth())
      .send({ events: ['*'], is_active: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['*'], is_active: false, url: PUBLIC_URL });

    expect((await request(t.http).delete(`/webhooks/${id}`).set(auth())).status).toBe(204);
    expect((await request(t.http).get(`/webhooks/${id}`).set(auth())).status).toBe(404);
  });

  it('refuses unknown event types, "*" mixed with types, and an empty list', async () => {
    for (const events of [['api_key.nope'], ['*', 'api_key.revoked'], []]) {
      const res = await request(t.http).post('/webhooks').set(auth()).send({ url: PUBLIC_URL, events });
      expect(res.status).toBe(400);
      expect(errorOf(res).error).toBe('Validation failed');
    }
  });

  it("answers 404 for another account's endpoint and 403 (plan) below Pro", async () => {
    const mine = await createWebhook(t, account.key, PUBLIC_URL);
    const other = await proAccount(t);
    expect((await request(t.http).get(`/webhooks/${mine.id}`).set('Authorization', `Bearer ${other.key}`)).status).toBe(
      404,
    );
    expect(
      (await request(t.http).post(`/webhooks/${mine.id}/test`).set('Authorization', `Bearer ${other.key}`)).status,
    ).toBe(404);

    const free = await registerUser(t.http);
    const freeKey = await createApiKey(t.http, free.token);
    const res = await request(t.http).get('/webhooks').set('Authorization', `Bearer ${freeKey.key}`);
    expect(res.status).toBe(403);
  });

  it.each(REFUSED_BY_DEFAULT)('refuses %s by default', async (url) => {
    const res = await request(t.http)
      .post('/webhooks')
      .set(auth())
      .send({ url, events: ['*'] });
    expect(res.status).toBe(400);
    expect(errorOf(res).details?.[0].field).toBe('url');
  });
});

describe('Webhooks: URL rules relaxed by WEBHOOK_ALLOW_HTTP and WEBHOOK_ALLOW_PRIVATE_URLS', () => {
  let t: TestApp;
  let account: ProAccount;

  beforeAll(async () => {
    t = await startTestApp({ env: LOCAL_RECEIVER_ENV });
    account = await proAccount(t);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => t.close());

  it.each(ACCEPTED_WITH_SETTINGS)('accepts %s', async (url) => {
    const res = await request(t.http)
      .post('/webhooks')
      .set('Authorization', `Bearer ${account.key}`)
      .send({ url, events: ['*'] });
    expect(res.status).toBe(201);
  });

  it('still refuses other schemes', async () => {
    const res = await request(t.http)
      .post('/webhooks')
      .set('Authorization', `Bearer ${account.key}`)
      .send({ url: 'ftp://127.0.0.1/hook', events: ['*'] });
    expect(res.status).toBe(400);
  });
});

describe('Webhooks: delivery, signature and retries', () => {
  let t: TestApp;
  let account: ProAccount;
  let receiver: WebhookReceiver;
  const TIMEOUT_MS = 700;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        ...LOCAL_RECEIVER_ENV,
        ...FAST_POLL,
        WEBHOOK_RETRY_SCHEDULE: SHORT_SCHEDULE,
        WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      },
    });
    account = await proAccount(t);
  }, SETUP_TIMEOUT_MS);
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver.close());
  afterAll(() => t.close());

  it('delivers webhook.test to this endpoint only, signed per Standard Webhooks', async () => {
    const endpoint = await createWebhook(t, account.key, receiver.url);
    receiver.secret = endpoint.secret;
    const otherReceiver = await WebhookReceiver.start();
    await createWebhook(t, account.key, otherReceiver.url);

    const eventId = await sendTest(t, account.key, endpoint.id);
    await eventually(
      () => Promise.resolve(receiver.received.length),
      (n) => n > 0,
    );
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery.verified).toBe(true);
    expect(delivery.id).toBe(eventId);
    expect(delivery.contentType).toBe('application/json');
    expect(Math.abs(delivery.timestamp - Date.now() / 1000)).toBeLessThan(30);
    expect(delivery.body).toEqual({
      type: 'webhook.test',
      timestamp: expect.any(String),
      data: { webhook_id: endpoint.id, url: receiver.url },
    });
    const list = await eventually(
      () => deliveries(t, account.key, endpoint.id),
      (rows) => rows[0]?.status === 'succeeded',
    );
    expect(list).toEqual([
      expect.objectContaining({
        event_id: eventId,
        event_type: 'webhook.test',
        status: 'succeeded',
        attempts: 1,
        last_status_code: 204,
        next_attempt_at: null,
      }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(otherReceiver.requests).toBe(0);
    await otherReceiver.close();
  });

  it('a receiver that fails twice then answers 204 gets the event on the third attempt, with the same webhook-id', async () => {
    const endpoint = await createWebhook(t, account.key, receiver.url);
    receiver.secret = endpoint.secret;
    receiver.reply(500, 503);
    const eventId = await sendTest(t, account.key, endpoint.id);
    const [row] = await eventually(
      () => deliveries(t, account.key, endpoint.id),
      (rows) => rows[0]?.status === 'succeeded',
    );
    expect(row).toMatchObject({ status: 'succeeded', attempts: 3, last_status_code: 204 });
    expect(receiver.requests).toBe(3);
    expect(receiver.received.map((d) => [d.id, d.verified])).toEqual([[eventId, true]]);
  });

  it('a receiver that hangs past the timeout counts as a failed attempt', async () => {
    const endpoint = await createWebhook(t, account.key, receiver.url);
    receiver.secret = endpoint.secret;
    receiver.reply('hang');
    await sendTest(t, account.key, endpoint.id);
    const [pending] = await eventually(
      () => deliveries(t, account.key, endpoint.id),
      (rows) => rows[0]?.attempts === 1 && rows[0].last_error !== null,
    );
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
    expect(pending.last_error).toContain(`${TIMEOUT_MS} ms`);
    const [done] = await eventually(
      () => deliveries(t, account.key, endpoint.id),
      (rows) => rows[0]?.status === 'succeeded',
    );
    expect(done.attempts).toBe(2);
  });

  it('marks a delivery failed after the last retry', async () => {
    const endpoint = await createWebhook(t, account.key, receiver.url);
    receiver.reply(500, 500, 500, 500);
    await sendTest(t, account.key, endpoint.id);
    const [row] = await eventually(
      () => deliveries(t, account.key, endpoint.id),
      (rows) => rows[0]?.status === 'failed',
    );
    expect(row).toMatchObject({
      status: 'failed',
      attempts: SHORT_SCHEDULE.split(',').length + 1,
      last_status_code: 500,
    });
    expect(receiver.requests).toBe(4);
  });
});

describeWithRealPostgres('Webhooks: several instances and restarts', () => {
  // These tests start and stop whole instances.
  jest.setTimeout(SETUP_TIMEOUT_MS);
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  const env = { ...LOCAL_RECEIVER_ENV, ...FAST_POLL, WEBHOOK_RETRY_SCHEDULE: '2' };

  beforeAll(async () => {
    database = await createTestDatabase();
  }, SETUP_TIMEOUT_MS);
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver.close());
  afterAll(() => database.drop());

  it('a restart between attempts still delivers', async () => {
    const prefix = uniqueRedisPrefix();
    const first = await startTestApp({ env, database, redisKeyPrefix: prefix });
    const account = await proAccount(first);
    const endpoint = await createWebhook(first, account.key, receiver.url);
    receiver.secret = endpoint.secret;
    receiver.reply(500);
    await sendTest(first, account.key, endpoint.id);
    await eventually(
      () => Promise.resolve(receiver.requests),
      (n) => n >= 1,
    );
    await first.close();

    const second = await startTestApp({ env, database, redisKeyPrefix: prefix });
    try {
      const [row] = await eventually(
        () => deliveries(second, account.key, endpoint.id),
        (rows) => rows[0]?.status === 'succeeded',
      );
      expect(row).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(receiver.received.filter((d) => d.verified)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('two instances deliver each event once', async () => {
    const prefix = uniqueRedisPrefix();
    const [a, b] = await Promise.all([
      startTestApp({ env, database, redisKeyPrefix: prefix }),
      startTestApp({ env, database, redisKeyPrefix: prefix }),
    ]);
    try {
      const account = await proAccount(a);
      const endpoint = await createWebhook(a, account.key, receiver.url);
      receiver.secret = endpoint.secret;
      const EVENTS = 12;
      const ids: string[] = [];
      for (let i = 0; i < EVENTS; i++) ids.push(await sendTest(i % 2 ? a : b, account.key, endpoint.id));
      await eventually(
        () => Promise.resolve(receiver.received.length),
        (n) => n >= EVENTS,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.requests).toBe(EVENTS);
      expect(receiver.received.map((d) => d.id).sort()).toEqual([...ids].sort());
      expect(receiver.received.every((d) => d.verified)).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
