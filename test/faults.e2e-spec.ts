import request from 'supertest';
import { registerUser, setPlan } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { AppBehindProxy, startTestAppBehindProxy, TcpProxy } from './support/tcp-proxy';
import { describeWithRealPostgres, TestApp } from './support/test-app';

const STATEMENT_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 1000;
/** What a loaded 2-core CI machine adds to 50 requests served and measured in the one process. */
const BUSY_MACHINE_SLACK_MS = 3000;
/** The stated bound while PostgreSQL hangs (waiting for a connection, then for the statement), plus that slack. */
const HUNG_BOUND_MS = CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + BUSY_MACHINE_SLACK_MS;
const CONCURRENT = 50;
const UNAVAILABLE = { error: 'Service unavailable' };

describeWithRealPostgres('Faults: PostgreSQL that accepts connections but never answers', () => {
  let faulty: AppBehindProxy;
  let proxy: TcpProxy;
  let t: TestApp;
  let jwt: string;
  let key: string;

  beforeAll(async () => {
    faulty = await startTestAppBehindProxy({
      LOG_LEVEL: 'fatal',
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    });
    ({ t, proxy } = faulty);
    const owner = await registerUser(t.http);
    await setPlan(t, owner.user.id, 'pro');
    jwt = owner.token;
    key = (await createApiKey(t.http, owner.token)).key;
    await request(t.http).get('/whoami').set('Authorization', `Bearer ${key}`).expect(200);
  });
  afterAll(() => faulty?.close());

  it(`answers ${CONCURRENT} concurrent database-bound requests 503 within ${HUNG_BOUND_MS} ms, and serves cached keys`, async () => {
    proxy.freeze();
    try {
      const timed = async (path: string, credential: string) => {
        const started = Date.now();
        const res = await request(t.http).get(path).set('Authorization', `Bearer ${credential}`);
        return { status: res.status, body: res.body as unknown, ms: Date.now() - started };
      };
      const [databaseBound, cached] = await Promise.all([
        Promise.all(Array.from({ length: CONCURRENT }, () => timed('/auth/me', jwt))),
        Promise.all(Array.from({ length: CONCURRENT }, () => timed('/whoami', key))),
      ]);
      const slowest = Math.max(...databaseBound.map(({ ms }) => ms));
      process.stdout.write(
        `hung PostgreSQL: ${CONCURRENT} /auth/me -> ${[...new Set(databaseBound.map(({ status }) => status))].join(',')} ` +
          `(slowest ${slowest} ms); ${CONCURRENT} /whoami (cached key) -> ${[...new Set(cached.map(({ status }) => status))].join(',')}\n`,
      );
      expect(databaseBound.map(({ status, body }) => ({ status, body }))).toEqual(
        Array(CONCURRENT).fill({ status: 503, body: UNAVAILABLE }),
      );
      expect(slowest).toBeLessThan(HUNG_BOUND_MS);
      expect(cached.map(({ status }) => status)).toEqual(Array(CONCURRENT).fill(200));
    } finally {
      proxy.thaw();
    }
  }, 60_000);

  it('serves database-bound requests again once PostgreSQL answers', async () => {
    const res = await request(t.http).get('/auth/me').set('Authorization', `Bearer ${jwt}`);
    expect(res.status).toBe(200);
  });
});
