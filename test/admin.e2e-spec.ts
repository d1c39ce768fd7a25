import { expect } from '@jest/globals';
import request from 'supertest';
import type { AccessTokenDto } from '../src/auth/dto/access-token.dto';
import { EventBus } from '../src/redis/event-bus';
import type { AdminUserDto } from '../src/users/dto/admin-user.dto';
import type { UserResponseDto } from '../src/users/dto/user-response.dto';
import { USER_CHANGED_CHANNEL } from '../src/users/user-events';
import { registerUser } from './support/accounts';
import { bodyOf, errorOf } from './support/http';
import { limitFields, planLimits } from './support/plans';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN_EMAIL = 'Ops@TuneTrail.test';
const ADMIN_PASSWORD = 'operator password 1';
/** Custom limits an operator gives an enterprise user. */
const ENTERPRISE_LIMITS = { minute: 1000, hour: 50000, day: 900000 };

const tokenOf = (res: request.Response) => bodyOf<AccessTokenDto>(res).access_token;
const userOf = (res: request.Response) => bodyOf<AdminUserDto>(res);
const firstDetailField = (res: request.Response) => errorOf(res).details?.[0].field;

describe('Operator routes: finding users and changing plans', () => {
  let t: TestApp;
  let adminToken: string;
  const asAdmin = (req: request.Test) => req.set('Authorization', `Bearer ${adminToken}`);

  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_EMAIL, ADMIN_PASSWORD } });
    const login = await request(t.http)
      .post('/auth/login')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
      .expect(200);
    adminToken = tokenOf(login);
  });
  afterAll(() => t.close());

  describe('admin bootstrap', () => {
    it('creates the admin named by ADMIN_EMAIL and ADMIN_PASSWORD', async () => {
      const me = await asAdmin(request(t.http).get('/auth/me')).expect(200);
      expect(me.body).toMatchObject({ email: ADMIN_EMAIL.toLowerCase(), role: 'admin', plan: 'free' });
    });

    it('promotes an existing account and resets its password on the next start', async () => {
      const { email, user } = await registerUser(t.http);
      const newPassword = 'the operator password';
      const restarted = await startTestApp({ env: { ADMIN_EMAIL: email, ADMIN_PASSWORD: newPassword } });
      try {
        const login = await request(restarted.http)
          .post('/auth/login')
          .send({ email, password: newPassword })
          .expect(200);
        const me = await request(restarted.http)
          .get('/auth/me')
          .set('Authorization', `Bearer ${tokenOf(login)}`)
          .expect(200);
        expect(me.body).toMatchObject({ email, role: 'admin' });
      } finally {
        await restarted.close();
      }
      // That was another database; here the account is untouched.
      expect(userOf(await asAdmin(request(t.http).get('/admin/users').query({ email })).expect(200)).role).toBe('user');
      expect(user.role).toBe('user');
    });
  });

  describe('GET /admin/users?email=', () => {
    it('finds a user by email, any letter case, with the limits in force', async () => {
      const { user, email } = await registerUser(t.http, { name: 'Grace' });
      const res = await asAdmin(request(t.http).get('/admin/users').query({ email: email.toUpperCase() })).expect(200);
      expect(res.body).toEqual({ ...user, ...limitFields(planLimits('free')) });
    });

    it('answers 404 for an unknown email and 400 without one', async () => {
      expect(
        (await asAdmin(request(t.http).get('/admin/users').query({ email: 'nobody@example.com' })).expect(404)).body,
      ).toEqual({ error: 'Not found' });
      const res = await asAdmin(request(t.http).get('/admin/users')).expect(400);
      expect(errorOf(res).details).toEqual([expect.objectContaining({ field: 'email' })]);
    });

    it('is refused to a user who is not an admin (403) and without a token (401)', async () => {
      const { token, email } = await registerUser(t.http);
      const res = await request(t.http)
        .get('/admin/users')
        .query({ email })
        .set('Authorization', `Bearer ${token}`)
        .expect(403);
      expect(res.body).toEqual({ error: 'Admin role required' });
      expect((await request(t.http).get('/admin/users').query({ email }).expect(401)).body).toEqual({
        error: 'Invalid or missing token',
      });
    });
  });

  describe('PUT /admin/users/{id}/plan', () => {
    it('moves a user to a plan; their account shows it', async () => {
      const { user, token } = await registerUser(t.http);
      const res = await asAdmin(request(t.http).put(`/admin/users/${user.id}/plan`).send({ plan: 'pro' })).expect(200);
      expect(res.body).toMatchObject({
        id: user.id,
        plan: 'pro',
        ...limitFields(planLimits('pro')),
      });
      const me = await request(t.http).get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(bodyOf<UserResponseDto>(me).plan).toBe('pro');
    });

    it('tells every instance to forget the user (user-changed event)', async () => {
      const { user } = await registerUser(t.http);
      const seen: string[] = [];
      await t.app.get(EventBus).subscribe(USER_CHANGED_CHANNEL, (id) => seen.push(id));
      await asAdmin(request(t.http).put(`/admin/users/${user.id}/plan`).send({ plan: 'starter' })).expect(200);
      expect(seen).toContain(user.id);
    });

    it('sets custom limits on enterprise, and drops them when leaving it', async () => {
      const { user } = await registerUser(t.http);
      const limits = limitFields(ENTERPRISE_LIMITS);
      const res = await asAdmin(
        request(t.http)
          .put(`/admin/users/${user.id}/plan`)
          .send({ plan: 'enterprise', ...limits }),
      ).expect(200);
      expect(res.body).toMatchObject({ plan: 'enterprise', ...limits });
      const back = await asAdmin(request(t.http).put(`/admin/users/${user.id}/plan`).send({ plan: 'starter' })).expect(
        200,
      );
      expect(back.body).toMatchObject({ plan: 'starter', ...limitFields(planLimits('starter')) });
    });

    it('requires all three limits on enterprise', async () => {
      const { user } = await registerUser(t.http);
      const res = await asAdmin(
        request(t.http)
          .put(`/admin/users/${user.id}/plan`)
          .send({ plan: 'enterprise', rate_limit_requests_per_minute: 100 }),
      ).expect(400);
      expect(res.body).toEqual({
        error: 'Validation failed',
        details: [
          { field: 'rate_limit_requests_per_hour', message: expect.any(String) },
          { field: 'rate_limit_requests_per_day', message: expect.any(String) },
        ],
      });
      expect(
        userOf(await asAdmin(request(t.http).get('/admin/users').query({ email: user.email })).expect(200)).plan,
      ).toBe('free');
    });

    it('refuses custom limits on a plan with its own', async () => {
      const { user } = await registerUser(t.http);
      const res = await asAdmin(
        request(t.http).put(`/admin/users/${user.id}/plan`).send({ plan: 'pro', rate_limit_requests_per_minute: 5000 }),
      ).expect(400);
      expect(errorOf(res).details).toEqual([
        { field: 'rate_limit_requests_per_minute', message: expect.stringContaining('enterprise') },
      ]);
    });

    it('refuses an unknown plan, a non-positive limit and unknown fields', async () => {
      const { user } = await registerUser(t.http);
      const url = `/admin/users/${user.id}/plan`;
      expect(firstDetailField(await asAdmin(request(t.http).put(url).send({ plan: 'platinum' })).expect(400))).toBe(
        'plan',
      );
      const limits = {
        rate_limit_requests_per_minute: 0,
        rate_limit_requests_per_hour: 1,
        rate_limit_requests_per_day: 1,
      };
      const nonPositive = await asAdmin(
        request(t.http)
          .put(url)
          .send({ plan: 'enterprise', ...limits }),
      ).expect(400);
      expect(firstDetailField(nonPositive)).toBe('rate_limit_requests_per_minute');
      const unknownField = await asAdmin(request(t.http).put(url).send({ plan: 'pro', role: 'admin' })).expect(400);
      expect(firstDetailField(unknownField)).toBe('role');
    });

    it('answers 400 for a malformed id and 404 for an unknown one', async () => {
      const bad = await asAdmin(request(t.http).put('/admin/users/not-a-uuid/plan').send({ plan: 'pro' })).expect(400);
      expect(bad.body).toEqual({
        error: 'Validation failed',
        details: [{ field: 'id', message: 'id must be a UUID' }],
      });
      const unknown = await asAdmin(
        request(t.http).put('/admin/users/00000000-0000-4000-8000-000000000000/plan').send({ plan: 'pro' }),
      ).expect(404);
      expect(unknown.body).toEqual({ error: 'Not found' });
    });

    it('is refused to a user who is not an admin, even on their own account', async () => {
      const { user, token } = await registerUser(t.http);
      const res = await request(t.http)
        .put(`/admin/users/${user.id}/plan`)
        .set('Authorization', `Bearer ${token}`)
        .send({ plan: 'pro' })
        .expect(403);
      expect(res.body).toEqual({ error: 'Admin role required' });
      const me = await request(t.http).get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(bodyOf<UserResponseDto>(me).plan).toBe('free');
    });
  });
});
