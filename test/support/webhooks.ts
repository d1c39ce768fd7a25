import request from 'supertest';
import type { CreatedWebhookResponseDto } from '../../src/webhooks/dto/webhook-response.dto';
import { createApiKey } from './api-keys';
import { registerUser, setPlan } from './accounts';
import { bodyOf } from './http';
import type { TestApp } from './test-app';

/** Lets webhooks reach the test receivers on 127.0.0.1 over plain HTTP. */
export const LOCAL_RECEIVER_ENV = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' };

export interface ProAccount {
  userId: string;
  token: string;
  /** A key with admin:webhooks and admin:billing. */
  key: string;
  keyId: string;
}

/** A Pro account (webhooks and billing are Pro+) with a key that may manage both. */
export async function proAccount(t: TestApp): Promise<ProAccount> {
  const { user, token } = await registerUser(t.http);
  await setPlan(t, user.id, 'pro');
  const created = await createApiKey(t.http, token, { name: 'admin key', scopes: ['admin:webhooks', 'admin:billing'] });
  return { userId: user.id, token, key: created.key, keyId: created.id };
}

/** Registers an endpoint through the API and returns its id and secret. */
export async function createWebhook(
  t: TestApp,
  key: string,
  url: string,
  events: string[] = ['*'],
): Promise<{ id: string; secret: string }> {
  const res = await request(t.http).post('/webhooks').set('Authorization', `Bearer ${key}`).send({ url, events });
  if (res.status !== 201) throw new Error(`create webhook failed: ${res.status} ${JSON.stringify(res.body)}`);
  const { id, secret } = bodyOf<CreatedWebhookResponseDto>(res);
  return { id, secret };
}
