import { expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Agent } from 'node:http';
import request from 'supertest';
import type { CreatedApiKeyResponseDto } from '../src/api-keys/dto/api-key-response.dto';
import type { AccessTokenDto } from '../src/auth/dto/access-token.dto';
import { UsageRecorder } from '../src/usage/usage-recorder';
import { DEFAULT_PASSWORD, registerUser, setPlan } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { bodyOf } from './support/http';
import { get } from './support/load';
import { freePort, ServiceProcess, startServiceProcess } from './support/service-process';
import { startTestAppBehindProxy } from './support/tcp-proxy';
import { createTestDatabase, describeWithRealPostgres, uniqueRedisPrefix } from './support/test-app';
import { countUsageRows, eventually } from './support/usage';

/** The answers after which SIGTERM is sent. */
const ANSWERS_BEFORE_SIGTERM = 200;
/** Requests made while PostgreSQL is unreachable, one every `OUTAGE_REQUEST_GAP_MS`. */
const REQUESTS_DURING_OUTAGE = 30;
const OUTAGE_REQUEST_GAP_MS = 100;

/** The ports reserved for this test file. */
const FIRST_PORT = 3120;
const LAST_PORT = 3129;

const IN_FLIGHT = 50;
/** SHUTDOWN_TIMEOUT_MS's default. */
const SHUTDOWN_BOUND_MS = 10_000;

describeWithRealPostgres(`${UsageRecorder.name} durability`, () => {
  it('answers the 50 requests in flight at SIGTERM, resets no connection, and loses no row', async () => {
    const database = await createTestDatabase();
    let service: ServiceProcess | undefined;
    try {
      service = await startServiceProcess(await freePort(FIRST_PORT, LAST_PORT), {
        DATABASE_URL: database.url,
        REDIS_KEY_PREFIX: uniqueRedisPrefix(),
        // Nothing is written before shutdown: every row of the burst depends on the final flush.
        USAGE_FLUSH_INTERVAL_MS: '60000',
        USAGE_FLUSH_BATCH_SIZE: '50000',
      });
      const { child, port } = service;
      const base = `http://127.0.0.1:${port}`;
      const owner = await request(base)
        .post('/auth/register')
        .send({
          email: `burst-${randomBytes(4).toString('hex')}@example.com`,
          password: DEFAULT_PASSWORD,
        })
        .expect(201);
      const key = await request(base)
        .post('/api-keys')
        .set('Authorization', `Bearer ${bodyOf<AccessTokenDto>(owner).access_token}`)
        .send({ name: 'burst', scopes: ['read:tracks'] })
        .expect(201);
      const { api_key: apiKey } = bodyOf<CreatedApiKeyResponseDto>(key);

      const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
      const statuses: (number | null)[] = [];
      const connectionErrors: string[] = [];
      let answered = 0;
      let stopped = false;
      let signalledAt = 0;
      const worker = async (): Promise<void> => {
        while (!stopped) {
          const { status, error } = await get(port, '/whoami', `Bearer ${apiKey}`, agent);
          statuses.push(status);
          if (status === null) {
            connectionErrors.push(error!);
            return;
          }
          if (++answered === ANSWERS_BEFORE_SIGTERM) {
            signalledAt = Date.now();
            child.kill('SIGTERM');
          }
        }
      };
      const exited = once(child, 'exit');
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      stopped = true;
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      const shutdownMs = Date.now() - signalledAt;
      agent.destroy();
      // A clean exit: code 0 within the shutdown bound, nothing on stderr.
      expect({ code, signal, stderr: service.stderr() }).toEqual({ code: 0, signal: null, stderr: '' });
      expect(shutdownMs).toBeLessThan(SHUTDOWN_BOUND_MS);

      // Every request answered (200, or 429 past the free plan's limit) is a row; once the listener
      // closed, new connections are refused, and no connection was reset under a request.
      const keyed = statuses.filter((status) => status === 200 || status === 429).length;
      expect(keyed).toBeGreaterThan(ANSWERS_BEFORE_SIGTERM);
      expect(statuses.filter((status) => status !== 200 && status !== 429 && status !== null)).toEqual([]);
      expect(new Set(connectionErrors)).toEqual(new Set(['ECONNREFUSED']));
      expect(await countUsageRows(database.url!)).toBe(keyed);
      process.stdout.write(
        `SIGTERM under load: ${IN_FLIGHT} connections, ${keyed} answered, ${connectionErrors.length} refused after close, ` +
          `exit after ${shutdownMs} ms, rows lost: ${keyed - (await countUsageRows(database.url!))}\n`,
      );
    } finally {
      if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
      await database.drop();
    }
  }, 120_000);

  it('keeps rows through a few seconds without PostgreSQL, and fails no request', async () => {
    const faulty = await startTestAppBehindProxy({ LOG_LEVEL: 'fatal' });
    const { t, proxy, database } = faulty;
    try {
      const owner = await registerUser(t.http);
      await setPlan(t, owner.user.id, 'pro');
      const key = await createApiKey(t.http, owner.token);
      const call = () => request(t.http).get('/whoami').set('Authorization', `Bearer ${key.key}`);
      await call().expect(200);
      await eventually(
        () => countUsageRows(database.url!),
        (count) => count === 1,
      );

      proxy.cut();
      const statuses: number[] = [];
      for (let i = 0; i < REQUESTS_DURING_OUTAGE; i++) {
        statuses.push((await call()).status);
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_REQUEST_GAP_MS));
      }
      expect(await countUsageRows(database.url!)).toBe(1);
      expect(t.app.get(UsageRecorder).buffer.size).toBeGreaterThan(0);
      proxy.restore();

      expect(statuses).toEqual(Array<number>(REQUESTS_DURING_OUTAGE).fill(200));
      const expectedRows = REQUESTS_DURING_OUTAGE + 1;
      expect(
        await eventually(
          () => countUsageRows(database.url!),
          (count) => count === expectedRows,
          20_000,
        ),
      ).toBe(expectedRows);
      expect(t.app.get(UsageRecorder).buffer.dropped).toBe(0);
    } finally {
      await faulty.close();
    }
  }, 120_000);
});
