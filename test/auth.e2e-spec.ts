import { expect } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AccessTokenDto } from '../src/auth/dto/access-token.dto';
import type { RegisterResponseDto } from '../src/auth/dto/register-response.dto';
import type { UserResponseDto } from '../src/users/dto/user-response.dto';
import { registerUser } from './support/accounts';
import { bodyOf, errorOf } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const INVALID_TOKEN = { error: 'Invalid or missing token' };
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
/** An access token's lifetime when JWT_EXPIRES_IN_SECONDS is not set (one hour). */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
/** Requests made at once, alternating between two accounts. */
const CONCURRENT_REQUESTS = 40;

describe('Accounts: register, log in, JWT', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  describe('POST /auth/register', () => {
    it('creates a free account and returns a token for it', async () => {
      const email = `New.User-${Date.now()}@Example.COM`;
      const res = await request(t.http)
        .post('/auth/register')
        .send({ email, password: 'long enough pw', name: 'Ada' })
        .expect(201);
      expect(res.body).toEqual({
        user: {
          id: expect.any(String),
          email: email.toLowerCase(),
          name: 'Ada',
          role: 'user',
          plan: 'free',
          created_at: expect.stringMatching(ISO_UTC),
        },
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: DEFAULT_TOKEN_LIFETIME_SECONDS,
      });
      const registered = bodyOf<RegisterResponseDto>(res);
      const me = await request(t.http)
        .get('/auth/me')
        .set('Authorization', `Bearer ${registered.access_token}`)
        .expect(200);
      expect(me.body).toEqual(registered.user);
    });

    it('stores a slow hash, never the password', async () => {
      const { user, password } = await registerUser(t.http);
      const ds = t.app.get(DataSource);
      const [row] = await ds.query<{ password_hash: string }[]>('SELECT password_hash FROM users WHERE id = $1', [
        user.id,
      ]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain(password);
    });

    it('answers 409 when the email is taken, whatever its letter case', async () => {
      const { email } = await registerUser(t.http);
      const res = await request(t.http)
        .post('/auth/register')
        .send({ email: email.toUpperCase(), password: 'another password' })
        .expect(409);
      expect(res.body).toEqual({ error: 'Email already registered' });
    });

    it('refuses a password shorter than 10 characters with details', async () => {
      const res = await request(t.http)
        .post('/auth/register')
        .send({ email: 'short@example.com', password: '123456789' })
        .expect(400);
      expect(res.body).toEqual({
        error: 'Validation failed',
        details: [{ field: 'password', message: expect.stringContaining('10') }],
      });
    });

    it('refuses a malformed email and a missing password', async () => {
      const res = await request(t.http).post('/auth/register').send({ email: 'not-an-email' }).expect(400);
      const error = errorOf(res);
      expect(error.error).toBe('Validation failed');
      const fields = error.details?.map((d) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['email', 'password']));
    });
  });

  describe('POST /auth/login', () => {
    it('returns a working token for the right password, any email case', async () => {
      const { email, password, user } = await registerUser(t.http);
      const res = await request(t.http).post('/auth/login').send({ email: email.toUpperCase(), password }).expect(200);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: DEFAULT_TOKEN_LIFETIME_SECONDS,
      });
      const me = await request(t.http)
        .get('/auth/me')
        .set('Authorization', `Bearer ${bodyOf<AccessTokenDto>(res).access_token}`)
        .expect(200);
      expect(bodyOf<UserResponseDto>(me).id).toBe(user.id);
    });

    it('answers 401 for a wrong password and an unknown email alike', async () => {
      const { email } = await registerUser(t.http);
      const wrong = await request(t.http).post('/auth/login').send({ email, password: 'not the password' }).expect(401);
      const unknown = await request(t.http)
        .post('/auth/login')
        .send({ email: 'nobody@example.com', password: 'not the password' })
        .expect(401);
      expect(wrong.body).toEqual({ error: 'Invalid email or password' });
      expect(unknown.body).toEqual(wrong.body);
    });
  });

  describe('GET /auth/me', () => {
    it('answers 401 with the contract body without a token', async () => {
      const res = await request(t.http).get('/auth/me').expect(401);
      expect(res.body).toEqual(INVALID_TOKEN);
    });

    it('answers 401 for a garbled, a forged and an expired token', async () => {
      const { user } = await registerUser(t.http);
      const jwt = t.app.get(JwtService);
      const forged = await jwt.signAsync({ sub: user.id }, { secret: 'some-other-secret-0123456789' });
      const expired = await jwt.signAsync({ sub: user.id }, { expiresIn: -10 });
      for (const token of ['garbage', forged, expired]) {
        const res = await request(t.http).get('/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
        expect(res.body).toEqual(INVALID_TOKEN);
      }
    });

    it('answers 401 to an API key presented on a JWT route', async () => {
      const res = await request(t.http)
        .get('/auth/me')
        .set('Authorization', 'Bearer tt_AbCdEfGhIjKlMnOpQrStUvWxYz012345')
        .expect(401);
      expect(res.body).toEqual(INVALID_TOKEN);
    });

    it('answers 401 once the account behind a valid token is gone', async () => {
      const { user, token } = await registerUser(t.http);
      await t.app.get(DataSource).query('DELETE FROM users WHERE id = $1', [user.id]);
      await request(t.http).get('/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    });

    it('answers each of many concurrent requests with its own token’s user', async () => {
      const accounts = await Promise.all([registerUser(t.http), registerUser(t.http)]);
      const calls = Array.from({ length: CONCURRENT_REQUESTS }, (_, i) => accounts[i % 2]);
      const answers = await Promise.all(
        calls.map((account) => request(t.http).get('/auth/me').set('Authorization', `Bearer ${account.token}`)),
      );
      expect(answers.map((res) => [res.status, bodyOf<UserResponseDto>(res).id])).toEqual(
        calls.map((account) => [200, account.user.id]),
      );
    });
  });
});
