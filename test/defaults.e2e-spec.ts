import request from 'supertest';
import { registerUser } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';

const ALLOWED_ORIGIN = 'https://app.example.com';
const OTHER_ORIGIN = 'https://evil.example.net';
const NO_STORE = 'no-store';

describe('Safe defaults: security headers, no caching, CORS off unless configured', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('sends helmet headers and no CSP on JSON answers, errors included', async () => {
    for (const path of ['/health', '/plans', '/no/such/route']) {
      const res = await request(t.http).get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['content-security-policy']).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('marks every answer carrying a token or a key Cache-Control: no-store', async () => {
    const user = await registerUser(t.http);
    const login = await request(t.http).post('/auth/login').send({ email: user.email, password: user.password });
    const created = await request(t.http)
      .post('/api-keys')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ name: 'k', scopes: ['read:tracks'] });
    const me = await request(t.http).get('/auth/me').set('Authorization', `Bearer ${user.token}`);
    for (const res of [login, created, me]) {
      expect(res.status).toBeLessThan(300);
      expect(res.headers['cache-control']).toBe(NO_STORE);
    }
  });

  it('answers no CORS headers when CORS_ORIGINS is unset', async () => {
    const res = await request(t.http).get('/plans').set('Origin', ALLOWED_ORIGIN);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS from CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ env: { CORS_ORIGINS: ALLOWED_ORIGIN } })));
  afterAll(() => t.close());

  it('allows the configured origin, preflight included, and exposes the rate-limit headers', async () => {
    const preflight = await request(t.http)
      .options('/whoami')
      .set('Origin', ALLOWED_ORIGIN)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    const res = await request(t.http).get('/plans').set('Origin', ALLOWED_ORIGIN);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['access-control-expose-headers']).toMatch(/X-RateLimit-Remaining/);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('gives another origin no allow header', async () => {
    const res = await request(t.http).get('/plans').set('Origin', OTHER_ORIGIN);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
