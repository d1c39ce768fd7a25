import { expect } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { API_KEY_HINT } from '../src/api-keys/api-key-authenticator';
import { ApiKeyGenerator } from '../src/api-keys/api-key-generator';
import type { RotatedApiKeyResponseDto } from '../src/api-keys/dto/api-key-response.dto';
import type { WhoamiResponseDto } from '../src/api-keys/dto/whoami-response.dto';
import type { TrackResponseDto } from '../src/tracks/dto/track-response.dto';
import { RegisteredUser, registerUser, setPlan } from './support/accounts';
import { createApiKey, CreatedKey } from './support/api-keys';
import { bodyOf } from './support/http';
import { planLimits } from './support/plans';
import { startTestApp, TestApp } from './support/test-app';

const invalid = (reason: string) => ({ error: 'Invalid API key', reason });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const whoamiOf = (res: request.Response) => bodyOf<WhoamiResponseDto>(res);
const FREE = planLimits('free');
const STARTER = planLimits('starter');
/** A key's own minute limit, below the free plan's. */
const KEY_MINUTE_LIMIT = 4;
/** A key's own minute limit on starter, above the free plan's. */
const STARTER_KEY_MINUTE_LIMIT = 50;

describe('API-key authentication', () => {
  let t: TestApp;
  let owner: RegisteredUser;
  const jwt = () => `Bearer ${owner.token}`;
  const whoami = (key: string) => request(t.http).get('/whoami').set('Authorization', `Bearer ${key}`);
  const manage = (id: string, action: 'revoke' | 'rotate', body: object = {}) =>
    request(t.http).post(`/api-keys/${id}/${action}`).set('Authorization', jwt()).send(body);
  const patch = (id: string, body: object) =>
    request(t.http).patch(`/api-keys/${id}`).set('Authorization', jwt()).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    owner = await registerUser(t.http);
  });
  afterAll(() => t.close());

  describe('401 reasons', () => {
    it.each([
      ['no Authorization header', undefined],
      ['another scheme', 'Basic dXNlcjpwYXNz'],
      ['Bearer with no credential', 'Bearer '],
      ['the bare scheme', 'Bearer'],
    ])('missing: %s', async (_case, authorization) => {
      const req = request(t.http).get('/tracks');
      if (authorization !== undefined) req.set('Authorization', authorization);
      expect((await req.expect(401)).body).toEqual(invalid('missing'));
    });

    it('malformed: wrong shape, wrong checksum, the guide example, a JWT, two credentials', async () => {
      const real = new ApiKeyGenerator().generate();
      const typo = real.slice(0, 5) + (real[5] === 'x' ? 'y' : 'x') + real.slice(6);
      for (const key of [
        'tt_short',
        typo,
        'tt_AbCdEfGhIjKlMnOpQrStUvWxYz123456',
        owner.token,
        `${real}0`,
        `${real} ${real}`,
      ]) {
        const expected = key === owner.token ? { ...invalid('malformed'), hint: API_KEY_HINT } : invalid('malformed');
        expect((await whoami(key).expect(401)).body).toEqual(expected);
      }
    });

    it('unknown: well formed but never issued, or deleted', async () => {
      expect((await whoami(new ApiKeyGenerator().generate()).expect(401)).body).toEqual(invalid('unknown'));
      const { id, key } = await createApiKey(t.http, owner.token);
      await whoami(key).expect(200);
      await request(t.http).delete(`/api-keys/${id}`).set('Authorization', jwt()).expect(204);
      expect((await whoami(key).expect(401)).body).toEqual(invalid('unknown'));
    });

    it('revoked: at once, even while cached, and ahead of a suspension', async () => {
      const { id, key } = await createApiKey(t.http, owner.token);
      await whoami(key).expect(200);
      await patch(id, { is_active: false }).expect(200);
      await manage(id, 'revoke').expect(200);
      expect((await whoami(key).expect(401)).body).toEqual(invalid('revoked'));
    });

    it('inactive: suspended, then 200 again once resumed', async () => {
      const { id, key } = await createApiKey(t.http, owner.token);
      await whoami(key).expect(200);
      await patch(id, { is_active: false }).expect(200);
      expect((await whoami(key).expect(401)).body).toEqual(invalid('inactive'));
      await patch(id, { is_active: true }).expect(200);
      await whoami(key).expect(200);
    });

    it('expired: after the expires_at set by PATCH', async () => {
      const { id, key } = await createApiKey(t.http, owner.token);
      await whoami(key).expect(200);
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      await patch(id, { expires_at: expiresAt }).expect(200);
      expect(whoamiOf(await whoami(key).expect(200)).expires_at).toBe(expiresAt);
      await sleep(1600);
      expect((await whoami(key).expect(401)).body).toEqual(invalid('expired'));
      await patch(id, { expires_at: null }).expect(200);
      await whoami(key).expect(200);
    });
  });

  describe('GET /whoami', () => {
    it('describes the presented key, with no scope needed', async () => {
      const { id, key } = await createApiKey(t.http, owner.token, {
        name: 'Who',
        environment: 'staging',
        scopes: ['read:playlists'],
        rate_limit_requests_per_minute: KEY_MINUTE_LIMIT,
        expires_in_days: 10,
      });
      const res = await whoami(key).expect(200);
      expect(res.body).toEqual({
        api_key_id: id,
        key_prefix: key.slice(0, 11),
        name: 'Who',
        environment: 'staging',
        scopes: ['read:playlists'],
        plan: 'free',
        rate_limits: { ...FREE, minute: KEY_MINUTE_LIMIT },
        expires_at: expect.stringMatching(/Z$/),
      });
    });
  });

  describe('403 scopes', () => {
    it('missing_scope when the key lacks the route scope', async () => {
      const { key } = await createApiKey(t.http, owner.token, { scopes: ['read:tracks'] });
      await request(t.http).get('/tracks').set('Authorization', `Bearer ${key}`).expect(200);
      const res = await request(t.http)
        .post('/tracks')
        .set('Authorization', `Bearer ${key}`)
        .send({ title: 't', artist: 'a', duration_ms: 1 })
        .expect(403);
      expect(res.body).toEqual({
        error: 'Insufficient permissions',
        required_scopes: ['write:tracks'],
        reason: 'missing_scope',
      });
    });

    it('plan after a downgrade takes a scope away from an existing key, at once; limits drop to the plan too', async () => {
      const user = await registerUser(t.http);
      await setPlan(t, user.user.id, 'starter');
      const { key } = await createApiKey(t.http, user.token, {
        scopes: ['read:tracks', 'write:tracks', 'read:audio_features'],
        rate_limit_requests_per_minute: STARTER_KEY_MINUTE_LIMIT,
      });
      const auth = `Bearer ${key}`;
      const track = await request(t.http)
        .post('/tracks')
        .set('Authorization', auth)
        .send({ title: 't', artist: 'a', duration_ms: 1000 })
        .expect(201);
      const trackId = bodyOf<TrackResponseDto>(track).id;
      await request(t.http).get(`/tracks/${trackId}/audio-features`).set('Authorization', auth).expect(200);
      expect(whoamiOf(await whoami(key).expect(200)).rate_limits).toEqual({
        ...STARTER,
        minute: STARTER_KEY_MINUTE_LIMIT,
      });

      await setPlan(t, user.user.id, 'free');
      const res = await request(t.http).get(`/tracks/${trackId}/audio-features`).set('Authorization', auth).expect(403);
      expect(res.body).toEqual({
        error: 'Insufficient permissions',
        required_scopes: ['read:audio_features'],
        reason: 'plan',
      });
      const me = await whoami(key).expect(200);
      expect(me.body).toMatchObject({ plan: 'free', rate_limits: FREE });
      await request(t.http).get(`/tracks/${trackId}`).set('Authorization', auth).expect(200);
    });
  });

  describe('rotation', () => {
    it('without grace: the old key is revoked at once, the new one works', async () => {
      const old = await createApiKey(t.http, owner.token);
      await whoami(old.key).expect(200);
      const rotated = bodyOf<RotatedApiKeyResponseDto>(await manage(old.id, 'rotate').expect(201));
      expect((await whoami(old.key).expect(401)).body).toEqual(invalid('revoked'));
      expect(whoamiOf(await whoami(rotated.api_key).expect(200)).api_key_id).toBe(rotated.id);
    });

    it('with grace: both work, the old one until the end of the grace period', async () => {
      const old = await createApiKey(t.http, owner.token);
      await whoami(old.key).expect(200);
      const before = Date.now();
      const rotated = bodyOf<RotatedApiKeyResponseDto>(
        await manage(old.id, 'rotate', { grace_period_hours: 1 }).expect(201),
      );
      await whoami(rotated.api_key).expect(200);
      const previous = whoamiOf(await whoami(old.key).expect(200));
      expect(Math.abs(Date.parse(previous.expires_at!) - (before + 3_600_000))).toBeLessThan(5000);
    });
  });

  describe('allowed_ips', () => {
    const withIps = (allowed_ips: string[]): Promise<CreatedKey> => createApiKey(t.http, owner.token, { allowed_ips });

    it('allows the client address and a CIDR containing it (IPv4-mapped IPv6 socket addresses read as IPv4)', async () => {
      for (const rules of [['127.0.0.1'], ['127.0.0.0/8'], ['::ffff:127.0.0.1'], ['192.0.2.1', '127.0.0.0/24']]) {
        await whoami((await withIps(rules)).key).expect(200);
      }
    });

    it('refuses any other address with 403, before the rate limiter (no limit headers)', async () => {
      for (const rules of [['10.0.0.0/8'], ['203.0.113.9'], ['::1'], ['2001:db8::/32']]) {
        const res = await whoami((await withIps(rules)).key).expect(403);
        expect(res.body).toEqual({ error: 'IP address not allowed' });
        expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      }
    });

    it('ignores X-Forwarded-For without TRUST_PROXY', async () => {
      const { key } = await withIps(['203.0.113.5']);
      await whoami(key).set('X-Forwarded-For', '203.0.113.5').expect(403);
      await whoami((await withIps(['127.0.0.1'])).key)
        .set('X-Forwarded-For', '203.0.113.5')
        .expect(200);
    });

    it('matches an IPv6 client against IPv6 addresses and ranges', async () => {
      const server = t.app.getHttpServer();
      const ipv6 = await new Promise<import('node:http').Server>((resolve) => {
        const listener = server.listen(0, '::1', () => resolve(listener));
      });
      try {
        const url = `http://[::1]:${(ipv6.address() as AddressInfo).port}`;
        const call = (key: string) => request(url).get('/whoami').set('Authorization', `Bearer ${key}`);
        await call((await withIps(['::1'])).key).expect(200);
        await call((await withIps(['::/64'])).key).expect(200);
        await call((await withIps(['2001:db8::/32'])).key).expect(403);
        await call((await withIps(['127.0.0.1'])).key).expect(403);
      } finally {
        await new Promise((resolve) => ipv6.close(resolve));
      }
    });

    describe('behind a trusted proxy (TRUST_PROXY)', () => {
      let proxied: TestApp;
      beforeAll(async () => (proxied = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1,::1' } })));
      afterAll(() => proxied.close());

      it('takes the client address from X-Forwarded-For, IPv4 and IPv6, addresses and CIDR', async () => {
        const user = await registerUser(proxied.http);
        const statusFor = async (allowed_ips: string[], forwardedFor: string): Promise<number> => {
          const { key } = await createApiKey(proxied.http, user.token, { allowed_ips });
          const res = await request(proxied.http)
            .get('/whoami')
            .set('Authorization', `Bearer ${key}`)
            .set('X-Forwarded-For', forwardedFor);
          return res.status;
        };
        expect(await statusFor(['203.0.113.5'], '203.0.113.5')).toBe(200);
        expect(await statusFor(['203.0.113.0/24'], '198.51.100.1, 203.0.113.77')).toBe(200);
        expect(await statusFor(['203.0.113.0/24'], '203.0.114.1')).toBe(403);
        expect(await statusFor(['127.0.0.1'], '203.0.113.5')).toBe(403);
        expect(await statusFor(['2001:db8::7'], '2001:db8::7')).toBe(200);
        expect(await statusFor(['2001:db8::/32'], '2001:db8:ffff::1')).toBe(200);
        expect(await statusFor(['2001:db8::/32'], '2001:db9::1')).toBe(403);
        expect(await statusFor(['10.0.0.0/8'], '::ffff:10.2.3.4')).toBe(200);
      });
    });
  });
});
