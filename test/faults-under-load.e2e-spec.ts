import { expect } from '@jest/globals';
import { once } from 'node:events';
import { Agent } from 'node:http';
import request from 'supertest';
import type { TrackResponseDto } from '../src/tracks/dto/track-response.dto';
import { UsageRecorder } from '../src/usage/usage-recorder';
import { registerUser, RegisteredUser, setPlan } from './support/accounts';
import { createApiKey, CreatedKey } from './support/api-keys';
import { CATALOGUE_LIMITS } from './support/catalogue';
import { bodyOf } from './support/http';
import { Answer, figureLine, get, runLoad, statusCounts } from './support/load';
import { awaitRoomInMinute } from './support/rate-limit';
import { RedisServerProcess, waitFor } from './support/redis-servers';
import { listenOnLoopback, SETUP_TIMEOUT_MS } from './support/sdk';
import { freePort, ServiceProcess, startServiceProcess } from './support/service-process';
import { AppBehindProxy, startTestAppBehindProxy, TcpProxy } from './support/tcp-proxy';
import {
  createTestDatabase,
  describeWithRealPostgres,
  describeWithRealServices,
  startTestApp,
  TEST_API_KEY_PEPPER,
  TestApp,
  TestDatabase,
  uniqueRedisPrefix,
} from './support/test-app';
import { countUsageRows, eventually } from './support/usage';

const UNAVAILABLE = { error: 'Service unavailable' };
const RATE_LIMITED = 'Rate limit exceeded';
/** Rows land within a few backoffs of the usage buffer (5 s at most) once PostgreSQL answers again. */
const ROWS_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const port = (base: string) => Number(new URL(base).port);
const answeredDuring = (answers: Answer[], from: number, to: number) =>
  answers.filter(({ startedAt, ms }) => startedAt >= from && startedAt + ms <= to);

/** An enterprise account with limits no load here reaches, and `count` keys of it. */
async function unlimitedAccount(t: TestApp, count = 1): Promise<{ owner: RegisteredUser; keys: CreatedKey[] }> {
  const owner = await registerUser(t.http);
  await setPlan(t, owner.user.id, 'enterprise', CATALOGUE_LIMITS);
  const keys = [];
  for (let i = 0; i < count; i++) keys.push(await createApiKey(t.http, owner.token));
  return { owner, keys };
}

describeWithRealPostgres('Faults under load: PostgreSQL down (connections refused) for 10 s', () => {
  const STATEMENT_TIMEOUT_MS = 1000;
  const CONNECT_TIMEOUT_MS = 1000;
  /** What a database-bound request may take while PostgreSQL refuses, plus slack for a busy machine. */
  const UNAVAILABLE_BOUND_MS = CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 2000;
  const OUTAGE_MS = 10_000;
  const LOAD_BEFORE_MS = 1000;
  const LOAD_AFTER_MS = 4000;
  /** After the restore, database-bound requests started later than this are all answered 200. */
  const RECOVERY_BOUND_MS = 2000;
  /** Loops on a cached key (GET /whoami), on the key and the database (GET /tracks/{id}), on a JWT (GET /auth/me). */
  const CACHED_LOOPS = 10;
  const KEYED_DATABASE_LOOPS = 5;
  const JWT_LOOPS = 5;
  const LOOPS = CACHED_LOOPS + KEYED_DATABASE_LOOPS + JWT_LOOPS;

  let faulty: AppBehindProxy;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    faulty = await startTestAppBehindProxy({
      LOG_LEVEL: 'fatal',
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    });
    ({ t, proxy, database } = faulty);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => faulty?.close());

  it('serves cached keys 200, answers database-bound requests 503 in bound, resets nothing, and stores every usage row exactly once', async () => {
    const {
      owner,
      keys: [key],
    } = await unlimitedAccount(t);
    const auth = `Bearer ${key.key}`;
    const track = await request(t.http)
      .post('/tracks')
      .set('Authorization', auth)
      .send({ title: 'Track', artist: 'Artist', duration_ms: 180_000 })
      .expect(201);
    const trackPath = `/tracks/${bodyOf<TrackResponseDto>(track).id}`;
    // The key is cached from here on; these three requests are its first rows.
    await request(t.http).get('/whoami').set('Authorization', auth).expect(200);
    await request(t.http).get(trackPath).set('Authorization', auth).expect(200);
    const rowsBefore = 3;
    expect(
      await eventually(
        () => countUsageRows(database.url!, key.id),
        (count) => count === rowsBefore,
      ),
    ).toBe(rowsBefore);

    const appPort = port(await listenOnLoopback(t));
    const agent = new Agent({ keepAlive: true, maxSockets: LOOPS });
    let running = true;
    let cutAt = 0;
    let restoredAt = 0;
    const timeline = (async () => {
      await sleep(LOAD_BEFORE_MS);
      proxy.cut();
      cutAt = Date.now();
      await sleep(OUTAGE_MS);
      proxy.restore();
      restoredAt = Date.now();
      await sleep(LOAD_AFTER_MS);
      running = false;
    })();
    const loops = await runLoad(
      LOOPS,
      (loop) => {
        if (loop < CACHED_LOOPS) return get(appPort, '/whoami', auth, agent);
        if (loop < CACHED_LOOPS + KEYED_DATABASE_LOOPS) return get(appPort, trackPath, auth, agent);
        return get(appPort, '/auth/me', `Bearer ${owner.token}`, agent);
      },
      () => running,
    );
    await timeline;
    agent.destroy();
    const cached = loops.slice(0, CACHED_LOOPS).flat();
    const keyedDatabase = loops.slice(CACHED_LOOPS, CACHED_LOOPS + KEYED_DATABASE_LOOPS).flat();
    const databaseBound = loops.slice(CACHED_LOOPS).flat();
    const all = loops.flat();

    const rowsExpected = rowsBefore + cached.length + keyedDatabase.length;
    // Counted once the buffer is empty and its last write done (a count reached early could hide a loss).
    const { buffer } = t.app.get(UsageRecorder);
    await eventually(
      async () => {
        await buffer.flush();
        return buffer.size;
      },
      (size) => size === 0,
      ROWS_TIMEOUT_MS,
    );
    const rowsFound = await countUsageRows(database.url!, key.id);
    const during = answeredDuring(databaseBound, cutAt, restoredAt);
    const unavailable = databaseBound.filter(({ status }) => status === 503);
    const recovered = databaseBound.filter(({ startedAt }) => startedAt >= restoredAt + RECOVERY_BOUND_MS);
    const firstBack = databaseBound.find(({ startedAt, status }) => startedAt >= restoredAt && status === 200);
    process.stdout.write(
      figureLine(
        `PostgreSQL down ${OUTAGE_MS / 1000} s under load`,
        LOOPS,
        all,
        `cached-key /whoami ${statusCounts(cached)}; ` +
          `database-bound during the outage ${during.length}, 503s ${unavailable.length} ` +
          `(slowest ${Math.max(0, ...unavailable.map(({ ms }) => ms))} ms); ` +
          `first 200 ${firstBack ? firstBack.startedAt - restoredAt : 'none'} ms after restore; ` +
          `rows expected ${rowsExpected}, found ${rowsFound}, lost ${Math.max(0, rowsExpected - rowsFound)}, ` +
          `written twice ${Math.max(0, rowsFound - rowsExpected)}`,
      ),
    );

    // No connection failed; the cached key never needed the database.
    expect(all.filter(({ status }) => status === null).map(({ error }) => error)).toEqual([]);
    expect(cached.filter(({ status }) => status !== 200)).toEqual([]);
    // Database-bound: 200 or the contract's 503, and only 503 while PostgreSQL was down.
    expect(databaseBound.filter(({ status }) => status !== 200 && status !== 503)).toEqual([]);
    expect(during.length).toBeGreaterThan(0);
    expect(during.map(({ status, body }) => ({ status, body: JSON.parse(body) as unknown }))).toEqual(
      Array(during.length).fill({ status: 503, body: UNAVAILABLE }),
    );
    expect(unavailable.filter(({ ms }) => ms >= UNAVAILABLE_BOUND_MS)).toEqual([]);
    // Back once PostgreSQL answers.
    expect(recovered.length).toBeGreaterThan(0);
    expect(recovered.filter(({ status }) => status !== 200)).toEqual([]);
    // Every answer given on the key, 503s included, is exactly one row: a batch whose INSERT committed
    // as its connection was cut is retried under its id, which the first write claimed, so nothing twice.
    expect(rowsFound).toBe(rowsExpected);
    expect(buffer.dropped).toBe(0);
  }, 60_000);
});

describeWithRealPostgres('Faults under load: Redis down, and Redis hung', () => {
  /** This file's own Redis, killed and frozen mid-test (never the shared one on 6379). */
  const REDIS_PORT = 6392;
  /** Small, so a few seconds of load passes it: the in-memory fallback must then answer 429. */
  const KEY_MINUTE_LIMIT = 20;
  const LOOPS = 20;
  const LOAD_MS = 3000;
  /** Slack over REDIS_COMMAND_TIMEOUT_MS for a request on a busy 2-core machine. */
  const SLACK_MS = 1500;
  const redis = new RedisServerProcess(REDIS_PORT);
  let t: TestApp;
  let appPort: number;

  beforeAll(async () => {
    await redis.start();
    t = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`, LOG_LEVEL: 'fatal' } });
    appPort = port(await listenOnLoopback(t));
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await t?.close();
    await redis.stop();
  });

  /** A fresh key of `KEY_MINUTE_LIMIT` a minute (nothing counted for it yet), and its minute count on Redis. */
  async function limitedKey() {
    const owner = await registerUser(t.http);
    await setPlan(t, owner.user.id, 'pro');
    const key = await createApiKey(t.http, owner.token, { rate_limit_requests_per_minute: KEY_MINUTE_LIMIT });
    const minuteCount = async () =>
      Number(await redis.cli('GET', await redis.cli('--scan', '--pattern', `*rl:{${key.id}}:minute:*`)));
    return { ...key, minuteCount };
  }

  /** `LOOPS` loops of GET /whoami on the key for `LOAD_MS`. */
  async function load(key: string): Promise<Answer[]> {
    const agent = new Agent({ keepAlive: true, maxSockets: LOOPS });
    const until = Date.now() + LOAD_MS;
    const loops = await runLoad(
      LOOPS,
      () => get(appPort, '/whoami', `Bearer ${key}`, agent),
      () => Date.now() < until,
    );
    agent.destroy();
    return loops.flat();
  }

  /**
   * Back on Redis: each request of a fresh key adds exactly one to its minute count there (the load's key is
   * at its limit on Redis too once the hits sent while it hung are applied, and refused hits are taken back).
   */
  async function expectBackOnRedis(): Promise<void> {
    const { key, minuteCount } = await limitedKey();
    await waitFor(async () => {
      const before = await minuteCount();
      await request(t.http).get('/whoami').set('Authorization', `Bearer ${key}`);
      return (await minuteCount()) === before + 1;
    }, 'rate limits back on Redis');
  }

  /** Only 200 and 429 (the contract's body), no connection failed, and exactly the limit passed. */
  async function expectLimitHeld(answers: Answer[], keyId: string): Promise<string> {
    const rowsFound = await eventually(
      () => countUsageRows(t.config.databaseUrl!, keyId),
      (count) => count >= answers.length,
    );
    expect(answers.filter(({ status }) => status !== 200 && status !== 429)).toEqual([]);
    expect(
      answers.filter(
        ({ status, body }) => status === 429 && (JSON.parse(body) as { error: string }).error !== RATE_LIMITED,
      ),
    ).toEqual([]);
    // Every decision of the outage is taken in memory, counting afresh: exactly the limit passes.
    expect(answers.filter(({ status }) => status === 200)).toHaveLength(KEY_MINUTE_LIMIT);
    expect(rowsFound).toBe(answers.length);
    return `limit ${KEY_MINUTE_LIMIT}/min; rows expected ${answers.length}, found ${rowsFound}, lost ${answers.length - rowsFound}`;
  }

  it('answers 200 up to the limit and 429 past it while Redis is down, resets nothing, and goes back to Redis', async () => {
    await awaitRoomInMinute(LOAD_MS + 10_000);
    const key = await limitedKey();
    await redis.kill();
    const answers = await load(key.key);
    await redis.start();
    const figures = await expectLimitHeld(answers, key.id);
    process.stdout.write(figureLine('Redis down under load', LOOPS, answers, figures));
    expect(answers.filter(({ ms }) => ms >= t.config.redisCommandTimeoutMs + SLACK_MS)).toEqual([]);
    await expectBackOnRedis();
  }, 60_000);

  it(`answers within REDIS_COMMAND_TIMEOUT_MS while Redis hangs, holds the limit, and goes back to Redis`, async () => {
    await awaitRoomInMinute(LOAD_MS + 10_000);
    const key = await limitedKey();
    redis.freeze();
    let answers: Answer[];
    try {
      answers = await load(key.key);
    } finally {
      redis.thaw();
    }
    const bound = t.config.redisCommandTimeoutMs + SLACK_MS;
    const figures = await expectLimitHeld(answers, key.id);
    process.stdout.write(
      figureLine(
        'Redis hung under load',
        LOOPS,
        answers,
        `bound ${bound} ms (command timeout ${t.config.redisCommandTimeoutMs} ms); ${figures}`,
      ),
    );
    expect(answers.filter(({ ms }) => ms >= bound)).toEqual([]);
    await expectBackOnRedis();
  }, 60_000);
});

describeWithRealServices('Faults under load: two instances, one killed', () => {
  /** The ports reserved for this file's second instance. */
  const FIRST_PORT = 3130;
  const LAST_PORT = 3139;
  /** Even loops go to the survivor, odd ones to the instance that is killed. */
  const LOOPS = 20;
  const LOAD_BEFORE_KILL_MS = 2000;
  const LOAD_AFTER_KILL_MS = 4000;
  /** A loop whose instance is gone retries after this pause rather than spinning on refusals. */
  const RETRY_PAUSE_MS = 20;

  let database: TestDatabase;
  let survivor: TestApp;
  let victim: ServiceProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    const redisKeyPrefix = uniqueRedisPrefix();
    // One after the other: the first runs the migrations.
    // The other instance runs in a process of its own: the same pepper lets it verify the same keys.
    survivor = await startTestApp({
      database,
      redisKeyPrefix,
      env: { LOG_LEVEL: 'fatal', API_KEY_PEPPER: TEST_API_KEY_PEPPER },
    });
    victim = await startServiceProcess(await freePort(FIRST_PORT, LAST_PORT), {
      DATABASE_URL: database.url,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      LOG_LEVEL: 'fatal',
    });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    if (victim?.child.exitCode === null) victim.child.kill('SIGKILL');
    await survivor?.close();
    await database?.drop();
  });

  it('the survivor answers every request 200 before and after the other is SIGKILLed, and records each', async () => {
    const {
      keys: [onSurvivor, onVictim],
    } = await unlimitedAccount(survivor, 2);
    const survivorPort = port(await listenOnLoopback(survivor));
    const agent = new Agent({ keepAlive: true, maxSockets: LOOPS });
    // A key-only route and a database-bound one, in turn.
    const paths = ['/whoami', '/tracks'];
    let running = true;
    let killedAt = 0;
    const exited = once(victim.child, 'exit');
    const timeline = (async () => {
      await sleep(LOAD_BEFORE_KILL_MS);
      victim.child.kill('SIGKILL');
      killedAt = Date.now();
      await exited;
      await sleep(LOAD_AFTER_KILL_MS);
      running = false;
    })();
    const sent = Array<number>(LOOPS).fill(0);
    const loops = await runLoad(
      LOOPS,
      async (loop) => {
        const path = paths[sent[loop]++ % paths.length];
        if (loop % 2 === 0) return get(survivorPort, path, `Bearer ${onSurvivor.key}`, agent);
        const answer = await get(victim.port, path, `Bearer ${onVictim.key}`, agent);
        if (answer.status === null) await sleep(RETRY_PAUSE_MS);
        return answer;
      },
      () => running,
    );
    await timeline;
    agent.destroy();
    const toSurvivor = loops.filter((_, loop) => loop % 2 === 0).flat();
    const toVictim = loops.filter((_, loop) => loop % 2 === 1).flat();
    const survivorAfterKill = toSurvivor.filter(({ startedAt }) => startedAt >= killedAt);
    const victimAnswered = toVictim.filter(({ status }) => status !== null).length;

    const rowsFound = await eventually(
      () => countUsageRows(database.url!, onSurvivor.id),
      (count) => count >= toSurvivor.length,
    );
    const victimRows = await countUsageRows(database.url!, onVictim.id);
    process.stdout.write(
      figureLine(
        'Two instances, one SIGKILLed under load',
        LOOPS,
        [...toSurvivor, ...toVictim],
        `survivor ${statusCounts(toSurvivor)} (${survivorAfterKill.length} after the kill), ` +
          `killed one ${statusCounts(toVictim)}; survivor rows expected ${toSurvivor.length}, found ${rowsFound}, ` +
          `lost ${toSurvivor.length - rowsFound}; killed one's rows ${victimRows} of ${victimAnswered} answered ` +
          `(its unflushed buffer dies with it)`,
      ),
    );

    expect(toSurvivor.filter(({ status }) => status !== 200)).toEqual([]);
    expect(survivorAfterKill.length).toBeGreaterThan(0);
    // The killed one answered 200 while alive; afterwards its requests fail at the client.
    expect(toVictim.filter(({ status }) => status !== 200 && status !== null)).toEqual([]);
    expect(toVictim.filter(({ startedAt, status }) => startedAt >= killedAt && status !== null)).toEqual([]);
    expect(victimAnswered).toBeGreaterThan(0);
    expect(rowsFound).toBe(toSurvivor.length);
    expect(survivor.app.get(UsageRecorder).buffer.dropped).toBe(0);
  }, 60_000);
});
