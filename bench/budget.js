'use strict';
// `npm run bench:budget`: 60 s of 50 connections on one key whose day budget is smaller than the
// load, on real PostgreSQL and Redis. Passes when the 200s equal the budget exactly, the rest are
// 429 and nothing else (no error, no timeout, no other status).
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const { createClient } = require('redis');
const { ChildService, findFreePort } = require('./lib/processes');
const { runLoad } = require('./lib/load');
const stores = require('./lib/stores');

const ROOT = path.resolve(__dirname, '..');
const ADMIN_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONNECTIONS = 50;
const DURATION_SEC = Number(process.env.BUDGET_DURATION_SECONDS ?? 60);
// The day window holds the budget, so a minute or hour boundary during the run changes nothing.
const BUDGET = Number(process.env.BUDGET_REQUESTS ?? 20000);
const ADMIN = { email: 'bench-admin@example.com', password: 'bench admin password' };

async function call(base, method, route, { token, body } = {}) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function main() {
  const name = `tt_bench_budget_${randomBytes(4).toString('hex')}`;
  const prefix = `tt:bench:budget:${randomBytes(4).toString('hex')}:`;
  const databaseUrl = await stores.createDatabase(ADMIN_DATABASE_URL, name);
  const port = await findFreePort(3140, 3149);
  const service = new ChildService('service', [path.join(ROOT, 'dist/src/main.js')], {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    JWT_SECRET: randomBytes(24).toString('hex'),
    API_KEY_PEPPER: randomBytes(24).toString('hex'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await service.waitUntilServing(`${base}/health`);
    const admin = await call(base, 'POST', '/auth/login', { body: ADMIN });
    const owner = await call(base, 'POST', '/auth/register', {
      body: { email: `budget-${randomBytes(4).toString('hex')}@example.com`, password: 'correct horse battery' },
    });
    const big = { rate_limit_requests_per_minute: 10_000_000, rate_limit_requests_per_hour: 100_000_000 };
    await call(base, 'PUT', `/admin/users/${owner.user.id}/plan`, {
      token: admin.access_token,
      body: { plan: 'enterprise', ...big, rate_limit_requests_per_day: 1_000_000_000 },
    });
    const key = await call(base, 'POST', '/api-keys', {
      token: owner.access_token,
      body: { name: 'budget', scopes: ['read:tracks'], ...big, rate_limit_requests_per_day: BUDGET },
    });
    const run = await runLoad({
      url: `${base}/whoami`,
      headers: { authorization: `Bearer ${key.api_key}` },
      connections: CONNECTIONS,
      durationSec: DURATION_SEC,
    });
    const ok = run.statusCodes['200'] ?? 0;
    const limited = run.statusCodes['429'] ?? 0;
    const others = Object.fromEntries(
      Object.entries(run.statusCodes).filter(([code]) => !['200', '429'].includes(code)),
    );
    const summary = {
      connections: CONNECTIONS,
      seconds: Math.round(run.elapsedSec),
      budget: BUDGET,
      requests: run.completed,
      status_200: ok,
      status_429: limited,
      other_statuses: others,
      errors: run.errors,
      timeouts: run.timeouts,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    const passed =
      ok === BUDGET && limited > 0 && Object.keys(others).length === 0 && run.errors === 0 && run.timeouts === 0;
    process.stdout.write(passed ? 'PASS: 200s == budget, the rest 429, zero errors\n' : 'FAIL\n');
    process.exitCode = passed ? 0 : 1;
  } finally {
    await service.stop();
    await stores.dropDatabase(ADMIN_DATABASE_URL, name);
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    await stores.deleteRedisKeys(redis, prefix);
    await redis.quit();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
