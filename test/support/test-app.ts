import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { IN_MEMORY_DATA_DIR } from '../../src/database/embedded-database';

/** Far above the production default of 10: suites register many accounts from one address within a minute. */
export const TEST_AUTH_RATE_LIMIT_PER_MINUTE = 1000;
/** A fixed secret (16+ characters, as config requires) so a test can sign or forge tokens knowingly. */
export const TEST_JWT_SECRET = 'e2e-test-secret-0123456789';
/** A fixed pepper for instances in different processes that must verify the same keys (otherwise random per process). */
export const TEST_API_KEY_PEPPER = 'e2e-test-pepper-0123456789';
/**
 * Above the 200 ms default: on a loaded 2-core CI machine a reply can take longer, and a decision made in the
 * in-memory fallback would make exact-count tests flaky. Outage tests use this bound.
 */
export const TEST_REDIS_COMMAND_TIMEOUT_MS = 1000;
/** Far below the 250 ms default, so usage rows land soon after a response and `eventually` polls briefly. */
export const TEST_USAGE_FLUSH_INTERVAL_MS = 50;

/** Whether the suite runs against real PostgreSQL and Redis (DATABASE_URL / REDIS_URL set). */
export const REAL_POSTGRES = Boolean(process.env.DATABASE_URL);
export const REAL_REDIS = Boolean(process.env.REDIS_URL);

/** `describe` for tests that need the real services; on the embedded defaults they are skipped. */
export const describeWithRealPostgres = REAL_POSTGRES ? describe : describe.skip;
export const describeWithRealRedis = REAL_REDIS ? describe : describe.skip;
/** For tests of several instances sharing PostgreSQL and Redis. */
export const describeWithRealServices = REAL_POSTGRES && REAL_REDIS ? describe : describe.skip;

export interface TestDatabase {
  url: string | undefined;
  drop(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty PostgreSQL database (so test files can run in parallel), or none on the embedded default. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!REAL_POSTGRES) return { url: undefined, drop: () => Promise.resolve() };
  const name = `tt_e2e_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export interface TestApp {
  app: NestFastifyApplication;
  /** The Node server to hand to supertest. */
  http: ReturnType<NestFastifyApplication['getHttpServer']>;
  config: AppConfig;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment overrides on top of the test defaults. */
  env?: Record<string, string | undefined>;
  /** Share a database with another app (two instances); otherwise a fresh one is made and dropped. */
  database?: TestDatabase;
  /** Share Redis keys with another app (two instances); otherwise a unique prefix isolates this app. */
  redisKeyPrefix?: string;
}

export const uniqueRedisPrefix = (): string => `tt:test:${randomBytes(6).toString('hex')}:`;

/** Boots the real application (same factory as main.ts) on its own database and Redis key space. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    JWT_SECRET: TEST_JWT_SECRET,
    AUTH_RATE_LIMIT_PER_MINUTE: String(TEST_AUTH_RATE_LIMIT_PER_MINUTE),
    DATA_DIR: IN_MEMORY_DATA_DIR,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_KEY_PREFIX: options.redisKeyPrefix ?? uniqueRedisPrefix(),
    REDIS_COMMAND_TIMEOUT_MS: String(TEST_REDIS_COMMAND_TIMEOUT_MS),
    USAGE_FLUSH_INTERVAL_MS: String(TEST_USAGE_FLUSH_INTERVAL_MS),
    ...options.env,
    DATABASE_URL: database.url,
  });
  const app = await createApp(config);
  return {
    app,
    http: app.getHttpServer(),
    config,
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}

/** Two instances of the app on one database and one Redis key space, as two hosts would run it. */
export interface TwoInstances {
  a: TestApp;
  b: TestApp;
  /** Closes both apps, then drops the database. */
  close(): Promise<void>;
}

/** Starts {@link TwoInstances}, one after the other (the first runs the migrations). */
export async function startTwoInstances(env?: Record<string, string | undefined>): Promise<TwoInstances> {
  const database = await createTestDatabase();
  const redisKeyPrefix = uniqueRedisPrefix();
  const a = await startTestApp({ env, database, redisKeyPrefix });
  const b = await startTestApp({ env, database, redisKeyPrefix });
  return {
    a,
    b,
    close: async () => {
      await Promise.all([a.close(), b.close()]);
      await database.drop();
    },
  };
}
