import { parse } from 'csv-parse/sync';
import TuneTrail, { NotFoundError, TuneTrailManagement, ValidationError } from 'tunetrail-sdk';
import { randomUUID } from 'node:crypto';
import { setPlan } from './support/accounts';
import { listenOnLoopback, SETUP_TIMEOUT_MS } from './support/sdk';
import { startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/usage';
import { WebhookReceiver } from './support/webhook-receiver';
import { LOCAL_RECEIVER_ENV } from './support/webhooks';

const PASSWORD = 'correct horse battery staple';

describe('Node SDK (tunetrail-sdk): webhooks and billing', () => {
  let t: TestApp;
  let client: TuneTrail;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...LOCAL_RECEIVER_ENV, WEBHOOK_POLL_INTERVAL_MS: '50' } });
    const baseUrl = await listenOnLoopback(t);
    const management = new TuneTrailManagement({ baseUrl });
    const registered = await management.auth.register({ email: `sdk-${randomUUID()}@example.com`, password: PASSWORD });
    await setPlan(t, registered.user.id, 'pro');
    const key = await management.apiKeys.create({ name: 'events', scopes: ['admin:webhooks', 'admin:billing'] });
    client = new TuneTrail({ apiKey: key.api_key, baseUrl });
    receiver = await WebhookReceiver.start();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('manages an endpoint, sends it a signed webhook.test and lists the delivery', async () => {
    const created = await client.webhooks.create({ url: receiver.url, events: ['*'] });
    expect(created.secret).toMatch(/^whsec_/);
    receiver.secret = created.secret;
    expect(await client.webhooks.get(created.id)).not.toHaveProperty('secret');
    const page = await client.webhooks.list({ limit: 1 });
    expect(page).toMatchObject({ total: 1, data: [{ id: created.id }] });
    expect((await client.webhooks.update(created.id, { description: 'ops' })).description).toBe('ops');

    const { event_id } = await client.webhooks.test(created.id);
    await eventually(
      () => client.webhooks.deliveries(created.id),
      (deliveries) => deliveries.data[0]?.status === 'succeeded',
    );
    const deliveries = await client.webhooks.deliveries(created.id);
    expect(deliveries.data[0]).toMatchObject({ event_id, event_type: 'webhook.test', attempts: 1 });
    expect(receiver.received.map((d) => [d.id, d.verified])).toEqual([[event_id, true]]);

    await client.webhooks.delete(created.id);
    await expect(client.webhooks.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a URL the rules refuse is a ValidationError', async () => {
    await expect(client.webhooks.create({ url: 'ftp://127.0.0.1/hook', events: ['*'] })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('reads the billing month and its CSV, which agree', async () => {
    const billing = await client.billing.get();
    expect(billing).toMatchObject({ plan: 'pro', active_keys: 1 });
    const csv = await client.billing.usageCsv({ period: billing.period_start.slice(0, 7) });
    const rows = parse<{ date: string }>(csv, { columns: true });
    expect(rows.map((row) => row.date)).toEqual(billing.by_day.map((day) => day.date));
  });
});
