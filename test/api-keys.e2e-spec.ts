import { expect } from '@jest/globals';
import request from 'supertest';
import { ApiKeyHasher } from '../src/api-keys/api-key-hasher';
import type {
  ApiKeyListResponseDto,
  ApiKeyResponseDto,
  CreatedApiKeyResponseDto,
  RotatedApiKeyResponseDto,
} from '../src/api-keys/dto/api-key-response.dto';
import type { AccountUsageDto } from '../src/usage/dto/account-usage.dto';
import { RegisteredUser, registerUser, setPlan } from './support/accounts';
import {
  CONTRACT_EXTRA_FIELDS,
  createApiKey,
  DEFAULT_KEY_NAME,
  GUIDE_EXAMPLE_FIELDS,
  VIEW_FIELDS,
} from './support/api-keys';
import { bodyOf, errorOf } from './support/http';
import { limitFields, planLimits } from './support/plans';
import { startTestApp, TestApp } from './support/test-app';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const DAY_MS = 86_400_000;
const FREE = planLimits('free');
const STARTER = planLimits('starter');
/** A key's own minute limit, below the free plan's. */
const OWN_MINUTE_LIMIT = 5;
/** The guide's example lifetime of a production key. */
const GUIDE_EXPIRES_IN_DAYS = 90;
/** Custom limits an operator gives an enterprise user, and a key's own minute limit above them. */
const ENTERPRISE_LIMITS = { minute: 1000, hour: 10000, day: 100000 };
const ENTERPRISE_KEY_MINUTE_LIMIT = 50000;
/** Requests made with a key before it is deleted. */
const REQUESTS_BEFORE_DELETE = 3;

describe('Managing API keys', () => {
  let t: TestApp;
  let owner: RegisteredUser;
  const jwt = () => `Bearer ${owner.token}`;
  const post = (body: unknown, as = owner) =>
    request(t.http)
      .post('/api-keys')
      .set('Authorization', `Bearer ${as.token}`)
      .send(body as object);
  const patch = (id: string, body: unknown) =>
    request(t.http)
      .patch(`/api-keys/${id}`)
      .set('Authorization', jwt())
      .send(body as object);

  beforeAll(async () => {
    t = await startTestApp();
    owner = await registerUser(t.http);
  });
  afterAll(() => t.close());

  describe('POST /api-keys', () => {
    it("answers the guide's example with exactly its fields plus is_active, allowed_ips, last_used_at, revoked_at, revoked_reason", async () => {
      const starter = await registerUser(t.http);
      await setPlan(t, starter.user.id, 'starter');
      const before = Date.now();
      const res = await post(
        {
          name: 'Production API',
          environment: 'production',
          scopes: ['read:tracks', 'read:recommendations'],
          expires_in_days: GUIDE_EXPIRES_IN_DAYS,
        },
        starter,
      ).expect(201);
      const body = bodyOf<CreatedApiKeyResponseDto>(res);

      expect(Object.keys(body).sort()).toEqual([...GUIDE_EXAMPLE_FIELDS, ...CONTRACT_EXTRA_FIELDS].sort());
      expect(body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        api_key: expect.stringMatching(/^tt_[A-Za-z0-9]{32}$/),
        name: 'Production API',
        key_prefix: body.api_key.slice(0, 11),
        scopes: ['read:tracks', 'read:recommendations'],
        environment: 'production',
        ...limitFields(STARTER),
        created_at: expect.stringMatching(ISO_UTC),
        expires_at: expect.stringMatching(ISO_UTC),
        is_active: true,
        allowed_ips: [],
        last_used_at: null,
        revoked_at: null,
        revoked_reason: null,
      });
      const created = Date.parse(body.created_at);
      const lifetime = Date.parse(body.expires_at!) - created;
      expect(created).toBeGreaterThanOrEqual(before - 1000);
      expect(lifetime).toBeGreaterThanOrEqual(GUIDE_EXPIRES_IN_DAYS * DAY_MS - 1000);
      expect(lifetime).toBeLessThanOrEqual(GUIDE_EXPIRES_IN_DAYS * DAY_MS + 1000);
    });

    it('defaults to development, no expiry, the plan limits and any address', async () => {
      const res = await post({ name: 'Dev', scopes: ['read:tracks'] }).expect(201);
      expect(res.body).toMatchObject({
        environment: 'development',
        expires_at: null,
        ...limitFields(FREE),
        allowed_ips: [],
      });
    });

    it('keeps own limits up to the plan, canonical allowed IPs and de-duplicated scopes', async () => {
      const res = await post({
        name: 'Tuned',
        scopes: ['read:tracks', 'read:tracks', 'write:tracks'],
        rate_limit_requests_per_minute: OWN_MINUTE_LIMIT,
        rate_limit_requests_per_hour: FREE.hour,
        allowed_ips: ['203.0.113.7', '10.0.0.0/8', '2001:DB8::/32', '::ffff:192.0.2.1'],
      }).expect(201);
      expect(res.body).toMatchObject({
        scopes: ['read:tracks', 'write:tracks'],
        ...limitFields({ minute: OWN_MINUTE_LIMIT, hour: FREE.hour, day: FREE.day }),
        allowed_ips: ['203.0.113.7', '10.0.0.0/8', '2001:db8::/32', '192.0.2.1'],
      });
    });

    it.each([
      ['name missing', { scopes: ['read:tracks'] }, 'name'],
      ['name empty', { name: '', scopes: ['read:tracks'] }, 'name'],
      ['name blank', { name: '   ', scopes: ['read:tracks'] }, 'name'],
      ['name over 100 characters', { name: 'x'.repeat(101), scopes: ['read:tracks'] }, 'name'],
      ['name not a string', { name: 42, scopes: ['read:tracks'] }, 'name'],
      ['unknown environment', { name: 'k', environment: 'prod', scopes: ['read:tracks'] }, 'environment'],
      ['scopes missing', { name: 'k' }, 'scopes'],
      ['scopes empty', { name: 'k', scopes: [] }, 'scopes'],
      ['scopes not a list', { name: 'k', scopes: 'read:tracks' }, 'scopes'],
      ['unknown scope', { name: 'k', scopes: ['read:tracks', 'read:everything'] }, 'scopes'],
      ['expires_in_days 0', { name: 'k', scopes: ['read:tracks'], expires_in_days: 0 }, 'expires_in_days'],
      ['expires_in_days 3651', { name: 'k', scopes: ['read:tracks'], expires_in_days: 3651 }, 'expires_in_days'],
      ['expires_in_days fractional', { name: 'k', scopes: ['read:tracks'], expires_in_days: 1.5 }, 'expires_in_days'],
      ['expires_in_days a string', { name: 'k', scopes: ['read:tracks'], expires_in_days: '90' }, 'expires_in_days'],
      [
        'limit 0',
        { name: 'k', scopes: ['read:tracks'], rate_limit_requests_per_minute: 0 },
        'rate_limit_requests_per_minute',
      ],
      [
        'limit negative',
        { name: 'k', scopes: ['read:tracks'], rate_limit_requests_per_hour: -5 },
        'rate_limit_requests_per_hour',
      ],
      [
        'limit fractional',
        { name: 'k', scopes: ['read:tracks'], rate_limit_requests_per_day: 2.5 },
        'rate_limit_requests_per_day',
      ],
      [
        'limit above the plan',
        { name: 'k', scopes: ['read:tracks'], rate_limit_requests_per_minute: FREE.minute + 1 },
        'rate_limit_requests_per_minute',
      ],
      [
        'day limit above the plan',
        { name: 'k', scopes: ['read:tracks'], rate_limit_requests_per_day: FREE.day + 1 },
        'rate_limit_requests_per_day',
      ],
      ['allowed_ips not a list', { name: 'k', scopes: ['read:tracks'], allowed_ips: '10.0.0.1' }, 'allowed_ips'],
      [
        'allowed_ips with a host name',
        { name: 'k', scopes: ['read:tracks'], allowed_ips: ['example.com'] },
        'allowed_ips',
      ],
      [
        'allowed_ips with a bad prefix',
        { name: 'k', scopes: ['read:tracks'], allowed_ips: ['10.0.0.0/33'] },
        'allowed_ips',
      ],
      [
        'allowed_ips with a bad IPv6 prefix',
        { name: 'k', scopes: ['read:tracks'], allowed_ips: ['2001:db8::/129'] },
        'allowed_ips',
      ],
      ['an unknown field', { name: 'k', scopes: ['read:tracks'], owner_id: 'x' }, 'owner_id'],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const error = errorOf(await post(body).expect(400));
      expect(error.error).toBe('Validation failed');
      expect(error.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]),
      );
    });

    it('refuses malformed JSON with 400', async () => {
      const res = await request(t.http)
        .post('/api-keys')
        .set('Authorization', jwt())
        .set('Content-Type', 'application/json')
        .send('{"name":')
        .expect(400);
      expect(errorOf(res).error).toBe('Validation failed');
    });

    it('refuses scopes the plan lacks with 403 reason plan, listing only those', async () => {
      const res = await post({ name: 'k', scopes: ['read:tracks', 'read:audio_features', 'read:analytics'] }).expect(
        403,
      );
      expect(res.body).toEqual({
        error: 'Insufficient permissions',
        required_scopes: ['read:audio_features', 'read:analytics'],
        reason: 'plan',
      });
    });

    it('allows Starter scopes once the plan has them, and any limits on enterprise', async () => {
      const user = await registerUser(t.http);
      await setPlan(t, user.user.id, 'starter');
      await post({ name: 'k', scopes: ['read:audio_features'] }, user).expect(201);
      await post({ name: 'k', scopes: ['read:analytics'] }, user).expect(403);
      await setPlan(t, user.user.id, 'enterprise', ENTERPRISE_LIMITS);
      const res = await post(
        { name: 'k', scopes: ['read:analytics'], rate_limit_requests_per_minute: ENTERPRISE_KEY_MINUTE_LIMIT },
        user,
      ).expect(201);
      expect(res.body).toMatchObject(limitFields({ ...ENTERPRISE_LIMITS, minute: ENTERPRISE_KEY_MINUTE_LIMIT }));
    });

    it('needs a JWT: none, a bad one, or an API key is 401', async () => {
      const { key } = await createApiKey(t.http, owner.token);
      for (const authorization of [undefined, 'Bearer not-a-jwt', `Bearer ${key}`]) {
        const req = request(t.http)
          .post('/api-keys')
          .send({ name: 'k', scopes: ['read:tracks'] });
        if (authorization) req.set('Authorization', authorization);
        expect((await req.expect(401)).body).toEqual({ error: 'Invalid or missing token' });
      }
    });
  });

  describe('GET /api-keys', () => {
    let lister: RegisteredUser;
    const list = (query = '') =>
      request(t.http).get(`/api-keys${query}`).set('Authorization', `Bearer ${lister.token}`);
    const keysOf = (res: request.Response) => bodyOf<ApiKeyListResponseDto>(res).data;

    beforeAll(async () => {
      lister = await registerUser(t.http);
      for (const environment of ['development', 'staging', 'production', 'production']) {
        await createApiKey(t.http, lister.token, { name: `${environment} key`, environment });
      }
    });

    it('pages the caller’s keys newest first with total, limit and offset, and never a secret', async () => {
      const all = await list().expect(200);
      expect(all.body).toMatchObject({ total: 4, limit: 50, offset: 0 });
      expect(keysOf(all).map((k) => k.name)).toEqual([
        'production key',
        'production key',
        'staging key',
        'development key',
      ]);
      for (const key of keysOf(all)) expect(Object.keys(key).sort()).toEqual(VIEW_FIELDS);
      const created = keysOf(all).map((k) => Date.parse(k.created_at));
      expect([...created].sort((a, b) => b - a)).toEqual(created);

      const page = await list('?limit=2&offset=1').expect(200);
      expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 1 });
      expect(keysOf(page).map((k) => k.id)).toEqual(
        keysOf(all)
          .slice(1, 3)
          .map((k) => k.id),
      );
    });

    it('filters by environment and is_active', async () => {
      const production = await list('?environment=production').expect(200);
      expect(bodyOf<ApiKeyListResponseDto>(production).total).toBe(2);
      const first = keysOf(await list())[0];
      await request(t.http)
        .patch(`/api-keys/${first.id}`)
        .set('Authorization', `Bearer ${lister.token}`)
        .send({ is_active: false })
        .expect(200);
      expect(keysOf(await list('?is_active=false').expect(200)).map((k) => k.id)).toEqual([first.id]);
      expect(bodyOf<ApiKeyListResponseDto>(await list('?is_active=true').expect(200)).total).toBe(3);
    });

    it.each([
      '?limit=0',
      '?limit=101',
      '?limit=abc',
      '?offset=-1',
      '?environment=prod',
      '?is_active=yes',
      '?colour=red',
    ])('refuses %s with 400', async (query) => {
      expect(errorOf(await list(query).expect(400)).error).toBe('Validation failed');
    });

    it('shows another user nothing of them', async () => {
      const stranger = await registerUser(t.http);
      const res = await request(t.http).get('/api-keys').set('Authorization', `Bearer ${stranger.token}`).expect(200);
      expect(res.body).toEqual({ data: [], total: 0, limit: 50, offset: 0 });
    });
  });

  describe('secrecy', () => {
    it('shows neither the key nor its hash in any list or get response', async () => {
      const created = await createApiKey(t.http, owner.token);
      const hash = t.app.get(ApiKeyHasher).hash(created.key);
      const responses = [
        await request(t.http).get('/api-keys').set('Authorization', jwt()).expect(200),
        await request(t.http).get(`/api-keys/${created.id}`).set('Authorization', jwt()).expect(200),
        await patch(created.id, { name: 'renamed' }).expect(200),
        await request(t.http).post(`/api-keys/${created.id}/revoke`).set('Authorization', jwt()).expect(200),
      ];
      for (const res of responses) {
        expect(res.text).not.toContain(created.key);
        expect(res.text).not.toContain(created.key.slice(11));
        expect(res.text).not.toContain(hash);
        expect(res.text).not.toContain('hash');
      }
      expect(Object.keys(bodyOf<ApiKeyResponseDto>(responses[1])).sort()).toEqual(VIEW_FIELDS);
    });
  });

  describe('PATCH /api-keys/{id}', () => {
    it('renames and changes scopes, limits, allowed IPs and expiry', async () => {
      const { id } = await createApiKey(t.http, owner.token, { expires_in_days: 30 });
      const expiresAt = new Date(Date.now() + 7 * DAY_MS).toISOString();
      const res = await patch(id, {
        name: 'Updated Name',
        scopes: ['read:tracks'],
        rate_limit_requests_per_minute: OWN_MINUTE_LIMIT,
        allowed_ips: ['198.51.100.0/24'],
        expires_at: expiresAt,
      }).expect(200);
      expect(res.body).toMatchObject({
        id,
        name: 'Updated Name',
        scopes: ['read:tracks'],
        rate_limit_requests_per_minute: OWN_MINUTE_LIMIT,
        allowed_ips: ['198.51.100.0/24'],
        expires_at: expiresAt,
        is_active: true,
      });
      const patched = async (body: object) => bodyOf<ApiKeyResponseDto>(await patch(id, body).expect(200));
      expect((await patched({ expires_at: null })).expires_at).toBeNull();
      expect((await patched({ allowed_ips: [] })).allowed_ips).toEqual([]);
      expect((await patched({})).name).toBe('Updated Name');
    });

    it('suspends and resumes', async () => {
      const { id } = await createApiKey(t.http, owner.token);
      expect(bodyOf<ApiKeyResponseDto>(await patch(id, { is_active: false }).expect(200)).is_active).toBe(false);
      expect(bodyOf<ApiKeyResponseDto>(await patch(id, { is_active: true }).expect(200)).is_active).toBe(true);
    });

    it.each([
      ['a past expires_at', { expires_at: '2020-01-01T00:00:00Z' }, 'expires_at'],
      ['a non-ISO expires_at', { expires_at: 'tomorrow' }, 'expires_at'],
      ['an empty name', { name: '' }, 'name'],
      ['a null name', { name: null }, 'name'],
      ['null scopes', { scopes: null }, 'scopes'],
      ['empty scopes', { scopes: [] }, 'scopes'],
      ['an unknown scope', { scopes: ['fly:away'] }, 'scopes'],
      ['a limit above the plan', { rate_limit_requests_per_hour: FREE.hour + 1 }, 'rate_limit_requests_per_hour'],
      ['a zero limit', { rate_limit_requests_per_day: 0 }, 'rate_limit_requests_per_day'],
      ['a non-boolean is_active', { is_active: 'yes' }, 'is_active'],
      ['a bad address', { allowed_ips: ['300.1.1.1'] }, 'allowed_ips'],
      ['a field that cannot change', { environment: 'production' }, 'environment'],
    ])('refuses %s with 400', async (_case, body, field) => {
      const { id } = await createApiKey(t.http, owner.token);
      const res = await patch(id, body).expect(400);
      expect(errorOf(res).details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('refuses a scope the plan lacks with 403 reason plan', async () => {
      const { id } = await createApiKey(t.http, owner.token);
      const res = await patch(id, { scopes: ['read:tracks', 'write:audio_features'] }).expect(403);
      expect(res.body).toEqual({
        error: 'Insufficient permissions',
        required_scopes: ['write:audio_features'],
        reason: 'plan',
      });
    });
  });

  describe('POST /api-keys/{id}/revoke', () => {
    it('revokes (is_active false, revoked_at set); twice is 200 with the same revoked_at; it cannot be reactivated', async () => {
      const { id } = await createApiKey(t.http, owner.token);
      const revoke = () => request(t.http).post(`/api-keys/${id}/revoke`).set('Authorization', jwt());
      const first = await revoke().expect(200);
      expect(first.body).toMatchObject({
        id,
        is_active: false,
        revoked_at: expect.stringMatching(ISO_UTC),
        revoked_reason: 'revoked',
      });
      const second = await revoke().expect(200);
      expect(bodyOf<ApiKeyResponseDto>(second).revoked_at).toBe(bodyOf<ApiKeyResponseDto>(first).revoked_at);
      const conflict = await patch(id, { is_active: true }).expect(409);
      expect(conflict.body).toEqual({ error: 'A revoked API key cannot be reactivated' });
      const shown = await request(t.http).get(`/api-keys/${id}`).set('Authorization', jwt()).expect(200);
      expect(bodyOf<ApiKeyResponseDto>(shown).is_active).toBe(false);
      const rotate = await request(t.http)
        .post(`/api-keys/${id}/rotate`)
        .set('Authorization', jwt())
        .send({})
        .expect(409);
      expect(errorOf(rotate).error).toEqual(expect.any(String));
    });
  });

  describe('POST /api-keys/{id}/rotate', () => {
    it('issues a key with the same settings and a fresh expiry of the same lifetime', async () => {
      const old = await createApiKey(t.http, owner.token, {
        name: 'Rotating',
        environment: 'staging',
        scopes: ['read:tracks', 'write:tracks'],
        expires_in_days: 30,
        rate_limit_requests_per_minute: OWN_MINUTE_LIMIT,
        allowed_ips: ['127.0.0.1', '::1'],
      });
      const res = await request(t.http)
        .post(`/api-keys/${old.id}/rotate`)
        .set('Authorization', jwt())
        .send({})
        .expect(201);
      const rotated = bodyOf<RotatedApiKeyResponseDto>(res);
      expect(Object.keys(rotated).sort()).toEqual(
        [...GUIDE_EXAMPLE_FIELDS, ...CONTRACT_EXTRA_FIELDS, 'rotated_from'].sort(),
      );
      expect(rotated).toMatchObject({
        name: 'Rotating',
        environment: 'staging',
        scopes: ['read:tracks', 'write:tracks'],
        rate_limit_requests_per_minute: OWN_MINUTE_LIMIT,
        allowed_ips: ['127.0.0.1', '::1'],
        is_active: true,
        revoked_at: null,
        rotated_from: old.id,
      });
      expect(rotated.id).not.toBe(old.id);
      expect(rotated.api_key).toMatch(/^tt_[A-Za-z0-9]{32}$/);
      expect(rotated.api_key).not.toBe(old.key);
      const lifetime = Date.parse(rotated.expires_at!) - Date.parse(rotated.created_at);
      expect(Math.abs(lifetime - 30 * DAY_MS)).toBeLessThan(5000);

      const previous = await request(t.http).get(`/api-keys/${old.id}`).set('Authorization', jwt()).expect(200);
      expect(previous.body).toMatchObject({
        is_active: false,
        revoked_at: expect.stringMatching(ISO_UTC),
        revoked_reason: 'rotated',
      });
    });

    it('with a grace period leaves the old key active until its end', async () => {
      const old = await createApiKey(t.http, owner.token);
      const before = Date.now();
      await request(t.http)
        .post(`/api-keys/${old.id}/rotate`)
        .set('Authorization', jwt())
        .send({ grace_period_hours: 24 })
        .expect(201);
      const previous = await request(t.http).get(`/api-keys/${old.id}`).set('Authorization', jwt()).expect(200);
      expect(previous.body).toMatchObject({ is_active: true, revoked_at: null });
      const graceEnd = Date.parse(bodyOf<ApiKeyResponseDto>(previous).expires_at!);
      expect(Math.abs(graceEnd - (before + 24 * 3_600_000))).toBeLessThan(5000);
    });

    it.each([
      { grace_period_hours: 0 },
      { grace_period_hours: 169 },
      { grace_period_hours: 1.5 },
      { grace_period_hours: '2' },
      { name: 'x' },
    ])('refuses %j with 400', async (body) => {
      const old = await createApiKey(t.http, owner.token);
      await request(t.http).post(`/api-keys/${old.id}/rotate`).set('Authorization', jwt()).send(body).expect(400);
    });
  });

  describe('DELETE /api-keys/{id}', () => {
    it('answers 204, then the key is 404 and gone from the list', async () => {
      const { id } = await createApiKey(t.http, owner.token);
      await request(t.http).delete(`/api-keys/${id}`).set('Authorization', jwt()).expect(204);
      await request(t.http).get(`/api-keys/${id}`).set('Authorization', jwt()).expect(404);
      await request(t.http).delete(`/api-keys/${id}`).set('Authorization', jwt()).expect(404);
      const list = await request(t.http).get('/api-keys').set('Authorization', jwt()).expect(200);
      expect(bodyOf<ApiKeyListResponseDto>(list).data.map((k) => k.id)).not.toContain(id);
    });
  });

  describe('DELETE and analytics', () => {
    it("keeps a deleted key's usage counted in the account's analytics", async () => {
      const pro = await registerUser(t.http);
      await setPlan(t, pro.user.id, 'pro');
      const used = await createApiKey(t.http, pro.token);
      const analyst = await createApiKey(t.http, pro.token, { scopes: ['read:analytics'] });
      for (let i = 0; i < REQUESTS_BEFORE_DELETE; i++)
        await request(t.http).get('/tracks').set('Authorization', `Bearer ${used.key}`).expect(200);
      await request(t.http).delete(`/api-keys/${used.id}`).set('Authorization', `Bearer ${pro.token}`).expect(204);

      const deadline = Date.now() + 10_000;
      let byKey: AccountUsageDto['by_key'] = [];
      while (Date.now() < deadline) {
        const res = await request(t.http)
          .get('/analytics/usage')
          .set('Authorization', `Bearer ${analyst.key}`)
          .expect(200);
        byKey = bodyOf<AccountUsageDto>(res).by_key;
        if (byKey.some((k) => k.api_key_id === used.id && k.total_requests === REQUESTS_BEFORE_DELETE)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(byKey).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ api_key_id: used.id, total_requests: REQUESTS_BEFORE_DELETE }),
        ]),
      );
    });
  });

  describe('tenancy', () => {
    it("answers 404 for another user's key on every route, and 400 for a malformed id", async () => {
      const { id } = await createApiKey(t.http, owner.token);
      const stranger = await registerUser(t.http);
      const as = `Bearer ${stranger.token}`;
      const routes = [
        () => request(t.http).get(`/api-keys/${id}`),
        () => request(t.http).patch(`/api-keys/${id}`).send({ name: 'mine now' }),
        () => request(t.http).post(`/api-keys/${id}/rotate`).send({}),
        () => request(t.http).post(`/api-keys/${id}/revoke`),
        () => request(t.http).delete(`/api-keys/${id}`),
      ];
      for (const route of routes)
        expect((await route().set('Authorization', as).expect(404)).body).toEqual({ error: 'Not found' });
      const mine = await request(t.http).get(`/api-keys/${id}`).set('Authorization', jwt()).expect(200);
      expect(mine.body).toMatchObject({ name: DEFAULT_KEY_NAME, is_active: true, revoked_at: null });

      const malformed = await request(t.http).get('/api-keys/not-a-uuid').set('Authorization', jwt()).expect(400);
      expect(malformed.body).toEqual({
        error: 'Validation failed',
        details: [{ field: 'id', message: 'id must be a UUID' }],
      });
    });
  });
});
