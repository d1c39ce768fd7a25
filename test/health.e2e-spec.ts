import { expect } from '@jest/globals';
import request from 'supertest';
import { REAL_POSTGRES, REAL_REDIS, startTestApp, TestApp } from './support/test-app';

describe('Liveness and readiness', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('answers liveness', async () => {
    const res = await request(t.http).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports PostgreSQL and Redis state on readiness', async () => {
    const res = await request(t.http).get('/health/ready').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: {
        database: { status: 'up', backend: REAL_POSTGRES ? 'postgresql' : 'pglite' },
        redis: REAL_REDIS ? { status: 'up', backend: 'redis' } : { status: 'embedded', backend: 'in-memory' },
      },
    });
  });

  it('echoes a request id', async () => {
    const res = await request(t.http).get('/health').set('X-Request-Id', 'abc-123').expect(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
  });
});
