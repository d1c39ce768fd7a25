import { expect } from '@jest/globals';
import request from 'supertest';
import { registerUser } from './support/accounts';
import { awaitRoomInMinute } from './support/rate-limit';
import { startTestApp, TestApp } from './support/test-app';

/** Register and login requests an IP may make a minute here. */
const AUTH_LIMIT_PER_MINUTE = 3;

describe('Per-IP rate limit of register and login', () => {
  let t: TestApp;
  beforeAll(
    async () =>
      (t = await startTestApp({
        env: { AUTH_RATE_LIMIT_PER_MINUTE: String(AUTH_LIMIT_PER_MINUTE), TRUST_PROXY: '127.0.0.1' },
      })),
  );
  afterAll(() => t.close());
  beforeEach(() => awaitRoomInMinute());

  const login = (ip: string, password = 'wrong password!') =>
    request(t.http).post('/auth/login').set('X-Forwarded-For', ip).send({ email: 'nobody@example.com', password });

  it('answers 429 with Retry-After once an IP has used its requests of the minute, on register and login alike', async () => {
    // Its three requests of the minute: login, register, login.
    await login('203.0.113.1').expect(401);
    await request(t.http)
      .post('/auth/register')
      .set('X-Forwarded-For', '203.0.113.1')
      .send({ email: 'someone@example.com', password: 'long enough password' })
      .expect(201);
    await login('203.0.113.1').expect(401);

    const refused = await login('203.0.113.1').expect(429);
    expect(refused.body).toEqual({ error: 'Too many requests' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);

    const registerRefused = await request(t.http)
      .post('/auth/register')
      .set('X-Forwarded-For', '203.0.113.1')
      .send({ email: 'someone-else@example.com', password: 'long enough password' })
      .expect(429);
    expect(registerRefused.body).toEqual({ error: 'Too many requests' });
  });

  it('counts each client IP on its own', async () => {
    for (let i = 0; i < AUTH_LIMIT_PER_MINUTE; i++) await login('203.0.113.2').expect(401);
    await login('203.0.113.2').expect(429);
    await login('203.0.113.3').expect(401);
  });

  it('leaves other routes alone', async () => {
    const { token } = await registerUser(t.http);
    for (let i = 0; i < 5; i++)
      await request(t.http).get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
  });
});
