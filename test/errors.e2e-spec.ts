import { expect } from '@jest/globals';
import request from 'supertest';
import { registerUser } from './support/accounts';
import { errorOf } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** The largest request body the service reads (1 MiB). */
const BODY_LIMIT_BYTES = 1024 * 1024;

describe('Error bodies of the contract', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('answers 404 with the contract body for an unknown route', async () => {
    const res = await request(t.http).get('/no/such/route').expect(404);
    expect(res.body).toEqual({ error: 'Not found' });
  });

  it('refuses unknown fields with details naming them', async () => {
    const res = await request(t.http)
      .post('/auth/register')
      .send({ email: 'x@example.com', password: 'long enough pw', plan: 'pro' })
      .expect(400);
    expect(res.body).toEqual({
      error: 'Validation failed',
      details: [{ field: 'plan', message: expect.stringContaining('plan') }],
    });
  });

  it('refuses a wrong type with details', async () => {
    const res = await request(t.http)
      .post('/auth/login')
      .send({ email: 'x@example.com', password: 12345678901 })
      .expect(400);
    expect(errorOf(res).error).toBe('Validation failed');
    expect(errorOf(res).details).toContainEqual({ field: 'password', message: 'password must be a string' });
  });

  it('refuses malformed JSON with 400 and details', async () => {
    const res = await request(t.http)
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "x@example.com",')
      .expect(400);
    expect(res.body).toEqual({
      error: 'Validation failed',
      details: [{ field: expect.any(String), message: expect.stringContaining('JSON') }],
    });
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ email: 'x@example.com', password: 'p'.repeat(BODY_LIMIT_BYTES) });
    const res = await request(t.http)
      .post('/auth/register')
      .set('Content-Type', 'application/json')
      .send(big)
      .expect(413);
    expect(res.body).toEqual({ error: 'Payload too large' });
  });

  it('accepts a body just under 1 MiB as far as validation (outside the smaller /auth/* limit)', async () => {
    const { token } = await registerUser(t.http);
    const body = JSON.stringify({ name: 'n'.repeat(BODY_LIMIT_BYTES - 100), scopes: ['read:tracks'] });
    const res = await request(t.http)
      .post('/api-keys')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400);
    expect(errorOf(res).details).toEqual([{ field: 'name', message: expect.any(String) }]);
  });
});
