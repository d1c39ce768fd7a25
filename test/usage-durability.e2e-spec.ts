import { expect } from '@jest/globals';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import type { CreatedApiKeyResponseDto } from '../src/api-keys/dto/api-key-response.dto';
import type { AccessTokenDto } from '../src/auth/dto/access-token.dto';
import { UsageRecorder } from '../src/usage/usage-recorder';
import { DEFAULT_PASSWORD, registerUser, setPlan } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { bodyOf } from './support/http';
import { TcpProxy } from './support/tcp-proxy';
import {
  createTestDatabase,
  describeWithRealPostgres,
  startTestApp,
  TEST_AUTH_RATE_LIMIT_PER_MINUTE,
  TEST_JWT_SECRET,
  TestDatabase,
  uniqueRedisPrefix,
} from './support/test-app';
import { eventually } from './support/usage';

/** The answers after which SIGTERM is sent. */
const ANSWERS_BEFORE_SIGTERM = 200;
/** Requests made while PostgreSQL is unreachable, one every `OUTAGE_REQUEST_GAP_MS`. */
const REQUESTS_DURING_OUTAGE = 30;
const OUTAGE_REQUEST_GAP_MS = 100;

async function countRows(database: TestDatabase): Promise<number> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM api_key_usage');
    return rows[0].count;
  } finally {
    await client.end();
  }
}

/** A free port among those reserved for this test (3120-3129). */
async function freePort(): Promise<number> {
  for (let port = 3120; port <= 3129; port++) {
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
  throw new Error('no free port in 3120-3129');
}

/** Why requests failed at the connection level (`ECONNREFUSED` once the listener closed; never a reset). */
const connectionErrors: string[] = [];

/** One GET with keep-alive; resolves to the status, or `null` when the connection failed. */
function get(port: number, path: string, key: string, agent: Agent): Promise<number | null> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${key}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? null));
        res.on('error', (error: NodeJS.ErrnoException) => {
          connectionErrors.push(`response ${error.code ?? error.message}`);
          resolve(null);
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      connectionErrors.push(error.code ?? error.message);
      resolve(null);
    });
    req.end();
  });
}

const IN_FLIGHT = 50;
/** SHUTDOWN_TIMEOUT_MS's default. */
const SHUTDOWN_BOUND_MS = 10_000;

describeWithRealPostgres(`${UsageRecorder.name} durability`, () => {
  it('answers the 50 requests in flight at SIGTERM, resets no connection, and loses no row', async () => {
    const database = await createTestDatabase();
    const port = await freePort();
    let child: ChildProcess | undefined;
    try {
      child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
        cwd: `${__dirname}/..`,
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          PORT: String(port),
          DATABASE_URL: database.url,
          REDIS_KEY_PREFIX: uniqueRedisPrefix(),
          JWT_SECRET: TEST_JWT_SECRET,
          AUTH_RATE_LIMIT_PER_MINUTE: String(TEST_AUTH_RATE_LIMIT_PER_MINUTE),
          // Nothing is written before shutdown: every row of the burst depends on the final flush.
          USAGE_FLUSH_INTERVAL_MS: '60000',
          USAGE_FLUSH_BATCH_SIZE: '50000',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const base = `http://127.0.0.1:${port}`;
      await eventually(
        () =>
          request(base)
            .get('/health')
            .then(
              (r) => r.status,
              () => 0,
            ),
        (status) => status === 200,
        45_000,
      );
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
      let answered = 0;
      let stopped = false;
      let signalledAt = 0;
      const worker = async (): Promise<void> => {
        while (!stopped) {
          const status = await get(port, '/whoami', apiKey, agent);
          statuses.push(status);
          if (status === null) return;
          if (++answered === ANSWERS_BEFORE_SIGTERM) {
            signalledAt = Date.now();
            child!.kill('SIGTERM');
          }
        }
      };
      const exited = once(child, 'exit');
      connectionErrors.length = 0;
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      stopped = true;
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      const shutdownMs = Date.now() - signalledAt;
      agent.destroy();
      // A clean exit: code 0 within the shutdown bound, nothing on stderr.
      expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
      expect(shutdownMs).toBeLessThan(SHUTDOWN_BOUND_MS);

      // Every request answered (200, or 429 past the free plan's limit) is a row; once the listener
      // closed, new connections are refused, and no connection was reset under a request.
      const keyed = statuses.filter((status) => status === 200 || status === 429).length;
      expect(keyed).toBeGreaterThan(ANSWERS_BEFORE_SIGTERM);
      expect(statuses.filter((status) => status !== 200 && status !== 429 && status !== null)).toEqual([]);
      expect(new Set(connectionErrors)).toEqual(new Set(['ECONNREFUSED']));
      expect(await countRows(database)).toBe(keyed);
      process.stdout.write(
        `SIGTERM under load: ${IN_FLIGHT} connections, ${keyed} answered, ${connectionErrors.length} refused after close, ` +
          `exit after ${shutdownMs} ms, rows lost: ${keyed - (await countRows(database))}\n`,
      );
    } finally {
      if (child && child.exitCode === null) child.kill('SIGKILL');
      await database.drop();
    }
  }, 120_000);

  it('keeps rows through a few seconds without PostgreSQL, and fails no request', async () => {
    const database = await createTestDatabase();
    const proxy = await TcpProxy.start('127.0.0.1', Number(new URL(database.url!).port || 5432));
    const viaProxy = new URL(database.url!);
    viaProxy.port = String(proxy.port);
    const t = await startTestApp({
      database: { url: viaProxy.toString(), drop: () => Promise.resolve() },
      env: { LOG_LEVEL: 'fatal' },
    });
    try {
      const owner = await registerUser(t.http);
      await setPlan(t, owner.user.id, 'pro');
      const key = await createApiKey(t.http, owner.token);
      const call = () => request(t.http).get('/whoami').set('Authorization', `Bearer ${key.key}`);
      await call().expect(200);
      await eventually(
        () => countRows(database),
        (count) => count === 1,
      );

      proxy.cut();
      const statuses: number[] = [];
      for (let i = 0; i < REQUESTS_DURING_OUTAGE; i++) {
        statuses.push((await call()).status);
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_REQUEST_GAP_MS));
      }
      expect(await countRows(database)).toBe(1);
      expect(t.app.get(UsageRecorder).buffer.size).toBeGreaterThan(0);
      proxy.restore();

      expect(statuses).toEqual(Array<number>(REQUESTS_DURING_OUTAGE).fill(200));
      const expectedRows = REQUESTS_DURING_OUTAGE + 1;
      expect(
        await eventually(
          () => countRows(database),
          (count) => count === expectedRows,
          20_000,
        ),
      ).toBe(expectedRows);
      expect(t.app.get(UsageRecorder).buffer.dropped).toBe(0);
    } finally {
      await t.close();
      await proxy.close();
      await database.drop();
    }
  }, 120_000);
});
