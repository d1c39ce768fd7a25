'use strict';
// Micro-benchmark of the per-key rate limiter (README "Rate limits"):
//   npx nest build && node bench/rate-limiter.js
// One Nest + Fastify app with two routes that differ only by ApiKeyRateLimitGuard, driven in
// process (Fastify inject, no sockets) in interleaved rounds: the latency the limiter adds at p50
// and p99 is "on" minus "off". Run on a redis-server of its own (port 6394, started and killed
// here), so INFO commandstats counts only this benchmark's commands: Redis commands per decision.
require('reflect-metadata');
const { spawn, execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { Controller, Get, Module, UseGuards } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');

const dist = (file) => require(path.join(__dirname, '..', 'dist', 'src', file));
const { loadConfig } = dist('config/app-config');
const { ConfigModule } = dist('config/config.module');
const { RedisModule } = dist('redis/redis.module');
const { RateLimitModule } = dist('rate-limit/rate-limit.module');
const { ApiKeyRateLimitGuard } = dist('rate-limit/api-key-rate-limit.guard');

const REDIS_PORT = Number(process.env.BENCH_RATE_LIMITER_REDIS_PORT ?? 6394);
const REQUESTS_PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = [1, 32];
// Limits no run reaches: every decision is an allowed one, the common case.
const LIMITS = { minute: 1e9, hour: 1e9, day: 1e9 };

class BenchController {
  off() {
    return { ok: true };
  }
  on() {
    return { ok: true };
  }
}
const method = (name) => Object.getOwnPropertyDescriptor(BenchController.prototype, name);
Reflect.decorate([Get('off')], BenchController.prototype, 'off', method('off'));
Reflect.decorate([Get('on'), UseGuards(ApiKeyRateLimitGuard)], BenchController.prototype, 'on', method('on'));
Controller('bench')(BenchController);

async function startApp(redisUrl) {
  const config = loadConfig({
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-0123456789',
    API_KEY_PEPPER: 'bench',
    LOG_LEVEL: 'warn',
    REDIS_URL: redisUrl,
  });
  class BenchModule {}
  Module({ imports: [ConfigModule.forRoot(config), RedisModule, RateLimitModule], controllers: [BenchController] })(
    BenchModule,
  );
  const app = await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  let keyNumber = 0;
  // What the API-key guard would have attached: 100 keys in turn, as under real traffic.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, _reply, done) => {
      request.apiKey = { id: `bench-key-${keyNumber++ % 100}`, limits: LIMITS };
      done();
    });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

async function measure(app, url, requests, concurrency) {
  const fastify = app.getHttpAdapter().getInstance();
  const latencies = [];
  let sent = 0;
  const worker = async () => {
    while (sent < requests) {
      sent++;
      const started = process.hrtime.bigint();
      const res = await fastify.inject({ method: 'GET', url });
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (latencies) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};
const ms = (value) => value.toFixed(3);

async function latencyTable(app, label) {
  const rows = [];
  for (const concurrency of CONCURRENCY) {
    const samples = { off: [], on: [] };
    await measure(app, '/bench/on', 500, concurrency);
    await measure(app, '/bench/off', 500, concurrency);
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating order, so a slow patch of a shared machine hits both sides alike.
      for (const side of round % 2 ? ['on', 'off'] : ['off', 'on']) {
        samples[side].push(...(await measure(app, `/bench/${side}`, REQUESTS_PER_ROUND, concurrency)));
      }
    }
    const off = summary(samples.off);
    const on = summary(samples.on);
    rows.push(
      `| ${label} | ${concurrency} | ${ms(off.p50)} | ${ms(on.p50)} | ${ms(on.p50 - off.p50)} | ${ms(off.p99)} | ${ms(on.p99)} | ${ms(on.p99 - off.p99)} |`,
    );
  }
  return rows;
}

function commandStats() {
  const text = execFileSync('redis-cli', ['-p', String(REDIS_PORT), 'INFO', 'commandstats']).toString();
  const calls = {};
  for (const match of text.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) calls[match[1]] = Number(match[2]);
  return calls;
}

// Commands the script runs inside Redis; commandstats lists them too, but they cost no round trip.
const INSIDE_SCRIPT = new Set(['time', 'get', 'incr', 'pexpire']);

async function commandsPerDecision(app) {
  const decisions = 5000;
  const before = commandStats();
  await measure(app, '/bench/on', decisions, 16);
  const after = commandStats();
  const sent = {};
  const inside = {};
  for (const [command, calls] of Object.entries(after)) {
    const added = calls - (before[command] ?? 0) - (command === 'info' ? 1 : 0);
    if (added > 0) (INSIDE_SCRIPT.has(command) ? inside : sent)[command] = added;
  }
  const total = Object.values(sent).reduce((sum, calls) => sum + calls, 0);
  return { decisions, sent, inside, perDecision: total / decisions };
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tt-bench-redis-'));
  const redis = spawn(
    'redis-server',
    ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  try {
    for (let tries = 0; ; tries++) {
      try {
        if (
          execFileSync('redis-cli', ['-p', String(REDIS_PORT), 'PING'], { stdio: ['ignore', 'pipe', 'ignore'] })
            .toString()
            .trim() === 'PONG'
        )
          break;
      } catch {
        if (tries > 50) throw new Error(`redis-server on ${REDIS_PORT} did not start`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const onRedis = await startApp(`redis://127.0.0.1:${REDIS_PORT}`);
    const inMemory = await startApp(undefined);
    const rows = [...(await latencyTable(onRedis, 'Redis')), ...(await latencyTable(inMemory, 'in memory'))];
    const commands = await commandsPerDecision(onRedis);
    await onRedis.close();
    await inMemory.close();

    console.log(
      `Rate limiter, ${ROUNDS} rounds x ${REQUESTS_PER_ROUND} requests per side and concurrency; latency in ms per request (Fastify inject)\n`,
    );
    console.log('| store | concurrency | p50 off | p50 on | p50 added | p99 off | p99 on | p99 added |');
    console.log('|---|---|---|---|---|---|---|---|');
    rows.forEach((row) => console.log(row));
    console.log(
      `\nRedis commands sent for ${commands.decisions} decisions (INFO commandstats): ${JSON.stringify(commands.sent)} = ${commands.perDecision} round trip(s) per decision`,
    );
    console.log(`Run by the script inside Redis (no round trip): ${JSON.stringify(commands.inside)}`);
  } finally {
    redis.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
