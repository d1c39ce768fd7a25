import { expect } from '@jest/globals';
import request from 'supertest';
import { ApiKeyAuthenticator } from '../src/api-keys/api-key-authenticator';
import type { TrackResponseDto } from '../src/tracks/dto/track-response.dto';
import { registerUser, RegisteredUser, setPlan } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { bodyOf, errorOf } from './support/http';
import { describeWithRealServices, startTwoInstances, TestApp, TwoInstances } from './support/test-app';

const PROPAGATION_BUDGET_MS = 1000;

/** Repeats `probe` until it answers `status`; resolves with the time that took (or fails past the budget). */
async function msUntilStatus(probe: () => request.Test, status: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const res = await probe();
    const elapsed = Date.now() - started;
    if (res.status === status) return elapsed;
    if (elapsed > PROPAGATION_BUDGET_MS * 3) throw new Error(`still ${res.status} after ${elapsed} ms: ${res.text}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describeWithRealServices(`${ApiKeyAuthenticator.name} across instances`, () => {
  let instances: TwoInstances;
  let a: TestApp;
  let b: TestApp;
  let user: RegisteredUser;

  beforeAll(async () => {
    instances = await startTwoInstances();
    ({ a, b } = instances);
    user = await registerUser(a.http);
    await setPlan(a, user.user.id, 'pro');
  });
  afterAll(() => instances?.close());

  const onB = (key: string) => () => request(b.http).get('/tracks').set('Authorization', `Bearer ${key}`);

  it('a key revoked through one instance is refused by the other within 1 second', async () => {
    const { id, key } = await createApiKey(a.http, user.token);
    await onB(key)().expect(200);
    await request(a.http).post(`/api-keys/${id}/revoke`).set('Authorization', `Bearer ${user.token}`).expect(200);
    expect(await msUntilStatus(onB(key), 401)).toBeLessThan(PROPAGATION_BUDGET_MS);
    expect((await onB(key)()).body).toEqual({ error: 'Invalid API key', reason: 'revoked' });
  });

  it('a scope removed through one instance is refused by the other within 1 second', async () => {
    const { id, key } = await createApiKey(a.http, user.token, { scopes: ['read:tracks', 'write:tracks'] });
    await onB(key)().expect(200);
    await request(a.http)
      .patch(`/api-keys/${id}`)
      .set('Authorization', `Bearer ${user.token}`)
      .send({ scopes: ['write:tracks'] })
      .expect(200);
    expect(await msUntilStatus(onB(key), 403)).toBeLessThan(PROPAGATION_BUDGET_MS);
    expect((await onB(key)()).body).toEqual({
      error: 'Insufficient permissions',
      required_scopes: ['read:tracks'],
      reason: 'missing_scope',
    });
  });

  it('a suspension and a deletion through one instance reach the other within 1 second', async () => {
    const { id, key } = await createApiKey(a.http, user.token);
    await onB(key)().expect(200);
    await request(a.http)
      .patch(`/api-keys/${id}`)
      .set('Authorization', `Bearer ${user.token}`)
      .send({ is_active: false })
      .expect(200);
    expect(await msUntilStatus(onB(key), 401)).toBeLessThan(PROPAGATION_BUDGET_MS);
    await request(a.http)
      .patch(`/api-keys/${id}`)
      .set('Authorization', `Bearer ${user.token}`)
      .send({ is_active: true })
      .expect(200);
    expect(await msUntilStatus(onB(key), 200)).toBeLessThan(PROPAGATION_BUDGET_MS);
    await request(a.http).delete(`/api-keys/${id}`).set('Authorization', `Bearer ${user.token}`).expect(204);
    expect(await msUntilStatus(onB(key), 401)).toBeLessThan(PROPAGATION_BUDGET_MS);
    expect(errorOf(await onB(key)()).reason).toBe('unknown');
  });

  it("a plan downgrade on one instance takes the plan's scopes away on the other within 1 second", async () => {
    const owner = await registerUser(a.http);
    await setPlan(a, owner.user.id, 'starter');
    const { key } = await createApiKey(a.http, owner.token, { scopes: ['write:tracks', 'read:audio_features'] });
    const track = await request(a.http)
      .post('/tracks')
      .set('Authorization', `Bearer ${key}`)
      .send({ title: 't', artist: 'a', duration_ms: 1 })
      .expect(201);
    const features = () =>
      request(b.http)
        .get(`/tracks/${bodyOf<TrackResponseDto>(track).id}/audio-features`)
        .set('Authorization', `Bearer ${key}`);
    await features().expect(200);
    await setPlan(a, owner.user.id, 'free');
    expect(await msUntilStatus(features, 403)).toBeLessThan(PROPAGATION_BUDGET_MS);
    expect(errorOf(await features()).reason).toBe('plan');
  });
});
