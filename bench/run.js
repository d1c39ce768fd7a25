'use strict';
// `npm run bench`: the built service against a bare route of itself and against the conventional
// NestJS stack in bench/conventional/, side by side in one invocation, on real PostgreSQL and Redis.
// See README "Performance" for what each scenario measures.
const { spawnSync } = require('node:child_process');
const { randomBytes, randomInt } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createClient } = require('redis');
const { HUGE_LIMIT, call, registerUnlimitedUser, serviceEnvironment } = require('./lib/service-setup');
const { ChildService, findFreePort, sleep } = require('./lib/processes');
const { combineRuns, median, round, runLoad, summarize } = require('./lib/load');
const { runPaced, summarizePaced } = require('./lib/paced-load');
const { compareModules, summarizeProfile } = require('./lib/profile');
const { renderReport } = require('./lib/report');
const stores = require('./lib/stores');

const ROOT = path.resolve(__dirname, '..');
const SERVICE_ENTRY = path.join(ROOT, 'dist/src/main.js');
const CONVENTIONAL_DIR = path.join(__dirname, 'conventional');
const PEER_ENTRY = path.join(__dirname, 'peer/server.js');
const PROBE = path.join(__dirname, 'lib/service-probe.js');

const positive = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

const SETTINGS = {
  adminDatabaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  connections: 50,
  // Many short rounds: the machine's speed drifts over tens of seconds, so baseline and keyed are
  // measured seconds apart in each round and compared round by round as well as overall.
  rounds: positive('BENCH_ROUNDS', 6),
  warmupSec: positive('BENCH_WARMUP_SECONDS', 2),
  laterWarmupSec: positive('BENCH_LATER_WARMUP_SECONDS', 1),
  durationSec: positive('BENCH_DURATION_SECONDS', 3),
  countedRequests: positive('BENCH_COUNTED_REQUESTS', 10000),
  profileSec: positive('BENCH_PROFILE_SECONDS', 8),
  profileSamplingUs: 200,
  ports: [3130, 3139],
};

const PROFILE_TOP = 15;
const OUTPUT_LINES_KEPT = 20;
// The fixed-rate comparison runs baseline and keyed at this share of keyed's measured throughput,
// where neither queues, so the latency difference is what the keyed path adds to one request.
const FIXED_RATE_SHARE = 0.5;
// Paced runs per scenario, interleaved with the other scenario's and combined.
const FIXED_RATE_RUNS = 3;

const SCENARIOS = [
  {
    name: 'baseline',
    app: 'service',
    path: '/health',
    keyed: false,
    measures: 'unauthenticated `GET /health` of the same app: the framework cost',
  },
  {
    name: 'keyed',
    app: 'service',
    path: '/whoami',
    keyed: true,
    measures: '`GET /whoami` with a valid key: key check (cache hit), rate limit, usage row; no database read',
  },
  {
    name: 'keyed-db',
    app: 'service',
    path: '/tracks/{id}',
    keyed: true,
    measures: "`GET /tracks/{id}` with a valid key: the above plus the handler's query",
  },
  {
    name: 'conventional',
    app: 'conventional',
    path: '/whoami',
    keyed: true,
    measures:
      'the same `/whoami` on Express + passport (database look-up per request) + @nestjs/throttler (3 Redis round trips) + one INSERT per usage row',
  },
  {
    name: 'peer',
    app: 'peer',
    path: '/whoami',
    keyed: true,
    measures:
      'the same `/whoami` on plain Fastify + @fastify/rate-limit on the same Redis (one window, one round trip) + a bearer check against an in-memory map; no usage rows (bench/peer)',
  },
];

const log = (message) => process.stdout.write(`[bench] ${message}\n`);

/**
 * Scenario order in a round: baseline and keyed stay adjacent, and swap places every other round
 * so that neither always runs first (right after the previous round's conventional app).
 */
function roundOrder(round) {
  const [baseline, keyed, ...others] = SCENARIOS;
  return round % 2 === 1 ? SCENARIOS : [keyed, baseline, ...others];
}

const rpsOf = (run) => run.completed / run.elapsedSec;

async function main() {
  if (!existsSync(SERVICE_ENTRY))
    throw new Error(`${SERVICE_ENTRY} is missing: run \`npm run bench\` (it builds the service first)`);
  const startedAt = new Date();
  const clock = process.hrtime.bigint();
  const run = randomBytes(4).toString('hex');
  const serviceDb = `tt_bench_${run}`;
  const conventionalDb = `tt_bench_${run}_conventional`;
  const redisPrefix = `tt:bench:${run}:`;
  const cleanups = [];
  const redis = createClient({ url: SETTINGS.redisUrl });
  await redis.connect();
  cleanups.push(async () => {
    const deleted = await stores.deleteRedisKeys(redis, redisPrefix);
    log(`removed ${deleted} Redis keys under ${redisPrefix}`);
    await redis.quit();
  });

  const interrupted = async (signal) => {
    log(`${signal}: cleaning up`);
    await runCleanups(cleanups);
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    log('building the conventional app (tsc)');
    const tsc = spawnSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', path.join(CONVENTIONAL_DIR, 'tsconfig.json')],
      { stdio: 'inherit' },
    );
    if (tsc.status !== 0) throw new Error('the conventional app did not compile');

    const serviceDbUrl = await stores.createDatabase(SETTINGS.adminDatabaseUrl, serviceDb);
    cleanups.unshift(() => stores.dropDatabase(SETTINGS.adminDatabaseUrl, serviceDb));
    const conventionalDbUrl = await stores.createDatabase(SETTINGS.adminDatabaseUrl, conventionalDb);
    cleanups.unshift(() => stores.dropDatabase(SETTINGS.adminDatabaseUrl, conventionalDb));

    const servicePort = await findFreePort(...SETTINGS.ports);
    const conventionalPort = await findFreePort(...SETTINGS.ports, [servicePort]);
    const admin = { email: `bench-admin-${run}@example.com`, password: randomBytes(12).toString('hex') };
    const serviceEnv = serviceEnvironment({
      port: servicePort,
      databaseUrl: serviceDbUrl,
      redisUrl: SETTINGS.redisUrl,
      redisPrefix,
      admin,
    });
    log(`starting the service on :${servicePort} (database ${serviceDb}, Redis prefix ${redisPrefix})`);
    const service = new ChildService('service', ['-r', PROBE, SERVICE_ENTRY], serviceEnv, { ipc: true, cwd: ROOT });
    cleanups.unshift(() => service.stop());
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    await service.waitUntilServing(`${serviceUrl}/health`);

    log(`starting the conventional app on :${conventionalPort}`);
    const conventional = new ChildService(
      'conventional',
      [path.join(CONVENTIONAL_DIR, 'dist/main.js')],
      {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(conventionalPort),
        DATABASE_URL: conventionalDbUrl,
        REDIS_URL: SETTINGS.redisUrl,
        REDIS_KEY_PREFIX: `${redisPrefix}conventional:`,
      },
      { cwd: ROOT },
    );
    cleanups.unshift(() => conventional.stop());
    const conventionalUrl = `http://127.0.0.1:${conventionalPort}`;
    // Unauthenticated /whoami answers 401 once the app listens.
    await waitForStatus(`${conventionalUrl}/whoami`, 401, conventional);

    log('setting up an enterprise account, an API key and a track');
    const fixture = await setUpService(serviceUrl, admin, run);
    const conventionalKey = await seedConventionalKey(conventionalDbUrl);

    const peerPort = await findFreePort(...SETTINGS.ports, [servicePort, conventionalPort]);
    log(`starting the peer app (Fastify + @fastify/rate-limit) on :${peerPort}`);
    const peer = new ChildService(
      'peer',
      [PEER_ENTRY],
      {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        NODE_PATH: process.env.NODE_PATH ?? '',
        PORT: String(peerPort),
        REDIS_URL: SETTINGS.redisUrl,
        REDIS_KEY_PREFIX: `${redisPrefix}peer:`,
        PEER_API_KEY: fixture.apiKey,
        PEER_WHOAMI: JSON.stringify(await whoamiOf(serviceUrl, fixture.apiKey)),
      },
      { cwd: ROOT },
    );
    cleanups.unshift(() => peer.stop());
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    await waitForStatus(`${peerUrl}/whoami`, 401, peer);

    const targets = {
      baseline: { url: `${serviceUrl}/health`, headers: {} },
      keyed: { url: `${serviceUrl}/whoami`, headers: { authorization: `Bearer ${fixture.apiKey}` } },
      'keyed-db': {
        url: `${serviceUrl}/tracks/${fixture.trackId}`,
        headers: { authorization: `Bearer ${fixture.apiKey}` },
      },
      conventional: { url: `${conventionalUrl}/whoami`, headers: { authorization: `Bearer ${conventionalKey}` } },
      peer: { url: `${peerUrl}/whoami`, headers: { authorization: `Bearer ${fixture.apiKey}` } },
    };
    await checkResponses(targets);

    const runs = Object.fromEntries(SCENARIOS.map(({ name }) => [name, []]));
    // Warm-ups are not measured, but what fails in them fails all the same.
    const warmupFailures = Object.fromEntries(SCENARIOS.map(({ name }) => [name, 0]));
    for (let n = 1; n <= SETTINGS.rounds; n++) {
      for (const { name, app } of roundOrder(n)) {
        const target = targets[name];
        const server = { service, conventional, peer }[app];
        // The first warm-up connects and compiles; later ones only let the previous scenario's aftermath settle.
        const warmupSec = runs[name].length === 0 ? SETTINGS.warmupSec : SETTINGS.laterWarmupSec;
        const warmup = await runLoad({ ...target, connections: SETTINGS.connections, durationSec: warmupSec });
        warmupFailures[name] += warmup.errors + warmup.timeouts + warmup.non2xx;
        const cpuBefore = server.cpuSeconds();
        const result = await runLoad({
          ...target,
          connections: SETTINGS.connections,
          durationSec: SETTINGS.durationSec,
        });
        result.cpuSec = cpuBefore === null ? null : server.cpuSeconds() - cpuBefore;
        runs[name].push(result);
        const { rps, p99_ms: p99 } = summarize(result);
        log(`round ${n}/${SETTINGS.rounds} ${name.padEnd(12)} ${String(rps).padStart(6)} req/s  p99 ${p99} ms`);
      }
      log(
        `round ${n}/${SETTINGS.rounds} keyed / baseline ${round(rpsOf(runs.keyed.at(-1)) / rpsOf(runs.baseline.at(-1)), 3)}`,
      );
    }

    const keyedRps = summarize(combineRuns(runs.keyed)).rps;
    const fixedRate = Math.max(100, Math.round((keyedRps * FIXED_RATE_SHARE) / 100) * 100);
    const atFixedRate = await measureAtFixedRate({ service, targets, rate: fixedRate });

    log(`counting Redis commands and SQL statements over ${SETTINGS.countedRequests} keyed requests`);
    const perRequest = await countStoreWork({ service, redis, redisPrefix, serviceDbUrl, target: targets.keyed });

    log(`profiling the keyed scenario for ${SETTINGS.profileSec} s`);
    const profile = await profileKeyed({ service, targets });

    const scenarios = SCENARIOS.map((scenario) => {
      const rounds = runs[scenario.name];
      // Each round's req/s over baseline's in the same round, measured seconds apart.
      const byRound = rounds.map((run, i) => rpsOf(run) / rpsOf(runs.baseline[i]));
      return {
        ...scenario,
        ...summarize(combineRuns(rounds)),
        rounds_rps: rounds.map((run) => Math.round(rpsOf(run))),
        rounds_p99_ms: rounds.map((run) => summarize(run).p99_ms),
        ratio_to_baseline_by_round: byRound.map((ratio) => round(ratio, 3)),
        ratio_to_baseline_median: round(median(byRound), 3),
        ratio_to_baseline_min: round(Math.min(...byRound), 3),
        ratio_to_baseline_max: round(Math.max(...byRound), 3),
        warmup_failures: warmupFailures[scenario.name],
      };
    });
    const baseline = scenarios.find((s) => s.name === 'baseline');
    for (const scenario of scenarios) scenario.ratio_to_baseline = round(scenario.rps / baseline.rps, 2);

    const results = {
      date: startedAt.toISOString(),
      total_seconds: null,
      machine: machineFacts(),
      settings: {
        connections: SETTINGS.connections,
        rounds: SETTINGS.rounds,
        round_order: { odd: roundOrder(1).map(({ name }) => name), even: roundOrder(2).map(({ name }) => name) },
        warmup_seconds: SETTINGS.warmupSec,
        later_warmup_seconds: SETTINGS.laterWarmupSec,
        measured_seconds_per_round: SETTINGS.durationSec,
        fixed_rate: {
          share_of_keyed_rps: FIXED_RATE_SHARE,
          runs_per_scenario: FIXED_RATE_RUNS,
          seconds_per_run: SETTINGS.durationSec,
          warmup_seconds: SETTINGS.laterWarmupSec,
          generator:
            'bench/lib/paced-load.js: requests evenly spaced in time, latency from the scheduled start, keep-alive connections',
        },
        service: 'dist/src/main.js, NODE_ENV=production, LOG_LEVEL=warn, real PostgreSQL and Redis',
        setup: fixture.setup,
      },
      scenarios,
      at_fixed_rate: atFixedRate,
      per_keyed_request: perRequest,
      profile,
      targets: null,
    };
    // LOG_LEVEL=warn: whatever the apps printed during the run is a warning or an error.
    results.app_output = {
      service: service.output.slice(-OUTPUT_LINES_KEPT),
      conventional: conventional.output.slice(-OUTPUT_LINES_KEPT),
    };
    results.targets = evaluateTargets(results);
    results.total_seconds = Math.round(Number(process.hrtime.bigint() - clock) / 1e9);
    const markdown = renderReport(results);
    writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(__dirname, 'RESULTS.md'), markdown);
    process.stdout.write(`\n${markdown}\n`);
    log('wrote bench/RESULTS.md and bench/results.json');
    log(`total ${results.total_seconds} s (cleanup follows)`);
  } finally {
    await runCleanups(cleanups);
  }
}

/**
 * Latency of baseline and keyed at one paced rate: FIXED_RATE_RUNS runs of each, interleaved in
 * alternating order like the rounds, after an unmeasured paced warm-up of each.
 */
async function measureAtFixedRate({ service, targets, rate }) {
  const names = ['baseline', 'keyed'];
  const load = (name, durationSec) =>
    runPaced({ ...targets[name], connections: SETTINGS.connections, rate, durationSec });
  log(`latency at a paced ${rate} req/s: ${FIXED_RATE_RUNS} x ${SETTINGS.durationSec} s per scenario, interleaved`);
  const warmupFailures = {};
  for (const name of names) {
    const warmup = await load(name, SETTINGS.laterWarmupSec);
    warmupFailures[name] = warmup.errors + warmup.timeouts + warmup.non2xx;
  }
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  const loopDelays = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 1; i <= FIXED_RATE_RUNS; i++) {
    for (const { name } of roundOrder(i).filter((scenario) => names.includes(scenario.name))) {
      await service.request('loop-delay-start');
      const result = await load(name, SETTINGS.durationSec);
      const loopDelay = await service.request('loop-delay-stop');
      runs[name].push(result);
      loopDelays[name].push(loopDelay);
      const { rps, p50_ms: p50, p99_ms: p99 } = summarize(result);
      log(
        `paced ${i}/${FIXED_RATE_RUNS} ${name.padEnd(12)} ${String(rps).padStart(6)} req/s  p50 ${p50} ms  p99 ${p99} ms  ` +
          `service event-loop delay p99 ${loopDelay.p99_ms} ms, max ${loopDelay.max_ms} ms`,
      );
    }
  }
  return names.map((name) => ({
    name,
    rate,
    ...summarizePaced(runs[name]),
    service_loop_delay_by_run: loopDelays[name],
    warmup_failures: warmupFailures[name],
  }));
}

/** Stops the apps, drops the databases, deletes the bench's Redis keys; each step once. */
async function runCleanups(cleanups) {
  while (cleanups.length > 0) {
    try {
      await cleanups.shift()();
    } catch (error) {
      log(`cleanup: ${error.message}`);
    }
  }
}

async function waitForStatus(url, status, child, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === status) return;
    } catch {
      // not listening yet
    }
    if (child.child.exitCode !== null) break;
    await sleep(200);
  }
  throw new Error(`${child.name} did not start. Last output:\n${child.output.slice(-30).join('\n')}`);
}

/**
 * A user on `enterprise` with limits no bench run can reach (promoted by the admin the service
 * bootstraps from ADMIN_EMAIL/ADMIN_PASSWORD), a key with read and write on tracks, and one track.
 */
async function setUpService(baseUrl, admin, run) {
  const registered = await registerUnlimitedUser(baseUrl, admin, `bench-${run}@example.com`);
  const key = await call(baseUrl, 'POST', '/api-keys', {
    token: registered.access_token,
    body: { name: 'bench', environment: 'production', scopes: ['read:tracks', 'write:tracks'] },
    expect: 201,
  });
  const track = await call(baseUrl, 'POST', '/tracks', {
    token: key.api_key,
    body: {
      title: 'Benchmark',
      artist: 'TuneTrail',
      album: 'Load',
      duration_ms: 215000,
      genre: 'electronic',
      bpm: 128,
      energy: 0.8,
      danceability: 0.7,
      valence: 0.6,
    },
    expect: 201,
  });
  return {
    apiKey: key.api_key,
    trackId: track.id,
    setup:
      'POST /auth/register, admin PUT /admin/users/{id}/plan (enterprise, 1e9 per window), POST /api-keys, POST /tracks',
  };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The service's /whoami body for the key: what the peer app answers with too. */
async function whoamiOf(serviceUrl, apiKey) {
  const response = await fetch(`${serviceUrl}/whoami`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (response.status !== 200) throw new Error(`/whoami answered ${response.status}`);
  return response.json();
}

/** A key in the conventional app's own table (it stores the SHA-256 of the key, as such apps do). */
async function seedConventionalKey(databaseUrl) {
  const key = `tt_${Array.from({ length: 32 }, () => BASE62[randomInt(62)]).join('')}`;
  const hash = require('node:crypto').createHash('sha256').update(key).digest('hex');
  await stores.withPg(databaseUrl, (client) =>
    client.query(
      `INSERT INTO conventional_api_keys (key_hash, key_prefix, name, environment, scopes, plan,
         rate_limit_requests_per_minute, rate_limit_requests_per_hour, rate_limit_requests_per_day)
       VALUES ($1, $2, 'bench', 'production', $3, 'enterprise', $4, $4, $4)`,
      [hash, key.slice(0, 11), ['read:tracks', 'write:tracks'], HUGE_LIMIT],
    ),
  );
  return key;
}

/** One request per scenario before any load: each must answer 200, and both /whoami the same fields. */
async function checkResponses(targets) {
  const bodies = {};
  for (const [name, { url, headers }] of Object.entries(targets)) {
    const response = await fetch(url, { headers });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${name}: ${url} answered ${response.status}: ${text.slice(0, 300)}`);
    bodies[name] = JSON.parse(text);
  }
  const fields = (body) => Object.keys(body).sort().join(',');
  if (fields(bodies.keyed) !== fields(bodies.conventional)) {
    throw new Error(
      `/whoami differs: service {${fields(bodies.keyed)}} vs conventional {${fields(bodies.conventional)}}`,
    );
  }
}

const sumValues = (counts, accept, valueOf = (value) => value) =>
  Object.entries(counts).reduce((sum, [key, value]) => (accept(key) ? sum + valueOf(value) : sum), 0);
// A usage batch, with or without the claim of its batch id in front (`WITH claimed AS (INSERT INTO usage_batches ...`).
const USAGE_BATCH = /^(WITH claimed AS \(INSERT INTO usage_batches\b.*?\) )?(INSERT INTO|COPY) "?(\w+\.)?"?\w*usage/i;
// Written with the usage batches, off the request path: the keys' `last_used_at` and the batches' transactions.
const BATCH_BOOKKEEPING =
  /^(UPDATE "?(\w+\.)?"?api_keys"? SET "?last_used_at|BEGIN|START TRANSACTION|COMMIT|ROLLBACK)\b/i;
// The key look-up by hash: what a key-cache miss costs (the entry's TTL ran out), not a cache hit.
const KEY_LOOKUP = /\bFROM "?api_keys"?\b.*\bkey_hash\b/i;
// Issued by timers of their own (job queues, dispatchers, schedulers, partition upkeep), not by a request.
const BACKGROUND_CALLER = /\b(ModelJobRunner|\w*Dispatcher|\w*Scheduler|UsagePartitions|\w*Retention\w*)\b/;

/**
 * Store work per keyed request, over a counted number of requests once the key is cached:
 * - Redis: the commands sent by the service's connections (MONITOR, attributed by the client
 *   addresses that touch the bench's key prefix), and the server-wide `INFO commandstats` delta less
 *   the background rate measured just before (the Redis is shared, so that one is approximate);
 * - PostgreSQL: statements counted inside the service by the probe, usage batch INSERTs apart.
 */
async function countStoreWork({ service, redis, redisPrefix, serviceDbUrl, target }) {
  const n = SETTINGS.countedRequests;
  await sleep(1500); // let the usage buffer drain from the rounds before
  const idleSec = 2;
  const idleBefore = await stores.commandStats(redis);
  const idleCpuBefore = await stores.serverCpuSeconds(redis);
  await sleep(idleSec * 1000);
  const idleAfter = await stores.commandStats(redis);
  const backgroundPerSec = stores.total(stores.diffCounts(idleBefore.calls, idleAfter.calls)) / idleSec;
  const backgroundCpuPerSec = ((await stores.serverCpuSeconds(redis)) - idleCpuBefore) / idleSec;

  // Redis's cost, measured without MONITOR (which feeds every script-internal call to the monitor inside the script's time).
  const scriptUsec = (stats) => (stats.usec.evalsha ?? 0) + (stats.usec.eval ?? 0);
  const costBefore = await stores.commandStats(redis);
  const cpuBefore = await stores.serverCpuSeconds(redis);
  const costClock = process.hrtime.bigint();
  await runLoad({ ...target, connections: SETTINGS.connections, amount: n });
  const costSec = Number(process.hrtime.bigint() - costClock) / 1e9;
  const cpuSpent = (await stores.serverCpuSeconds(redis)) - cpuBefore - backgroundCpuPerSec * costSec;
  const costAfter = await stores.commandStats(redis);

  const sqlBefore = await service.request('statements');
  await service.request('call-sites', { record: true });
  const statsBefore = await stores.commandStats(redis);
  const clock = process.hrtime.bigint();
  const { result: load, lines } = await stores.monitorDuring(SETTINGS.redisUrl, () =>
    runLoad({ ...target, connections: SETTINGS.connections, amount: n }),
  );
  const elapsedSec = Number(process.hrtime.bigint() - clock) / 1e9;
  const statsAfter = await stores.commandStats(redis);
  await sleep(1500); // the batch holding the last rows lands
  const sqlAfter = await service.request('statements');
  const callSites = await service.request('call-sites', { record: false });
  if (load.completed !== n || load.non2xx > 0 || load.errors > 0) {
    throw new Error(`counted run: ${load.completed} of ${n} completed, ${load.non2xx} non-2xx, ${load.errors} errors`);
  }

  // MONITOR shows the commands a script runs under the pseudo-client `lua`: they are not round trips.
  const byClient = stores.commandsByClient(lines);
  const scriptInternal = byClient.get('lua')?.commands ?? {};
  byClient.delete('lua');
  const serviceClients = [...byClient.values()].filter((entry) =>
    entry.lines.some((line) => line.includes(redisPrefix)),
  );
  const serviceCommands = {};
  for (const entry of serviceClients) {
    for (const [command, count] of Object.entries(entry.commands))
      serviceCommands[command] = (serviceCommands[command] ?? 0) + count;
  }
  // commandstats counts scripts' inner calls too, and this measurement's own INFO, HELLO/CLIENT SETINFO and MONITOR.
  const serverDelta = stores.diffCounts(statsBefore.calls, statsAfter.calls);
  const measurement = ['info', 'monitor', 'client|setinfo', 'hello'].reduce(
    (sum, name) => sum + (serverDelta[name] ?? 0),
    0,
  );
  const clientCommands = stores.total(serverDelta) - stores.total(scriptInternal) - measurement;

  const sqlDelta = stores.diffCounts(sqlBefore, sqlAfter);
  const usageStatements = sumValues(sqlDelta, (sql) => USAGE_BATCH.test(sql));
  const bookkeeping = Object.fromEntries(Object.entries(sqlDelta).filter(([sql]) => BATCH_BOOKKEEPING.test(sql)));
  const keyLookups = sumValues(sqlDelta, (sql) => KEY_LOOKUP.test(sql));
  const otherStatements = Object.fromEntries(
    Object.entries(sqlDelta)
      .filter(([sql]) => !USAGE_BATCH.test(sql) && !BATCH_BOOKKEEPING.test(sql) && !KEY_LOOKUP.test(sql))
      .filter(([sql]) => !(callSites[sql] ?? []).some((site) => BACKGROUND_CALLER.test(site)))
      .map(([sql, count]) => [sql, { count, called_from: callSites[sql] ?? [] }]),
  );
  const usageTable = Object.keys(sqlDelta)
    .map((sql) => USAGE_BATCH.exec(sql))
    .find(Boolean);

  return {
    requests: n,
    redis: {
      service_commands: serviceCommands,
      service_commands_per_request: round(stores.total(serviceCommands) / n, 3),
      service_connections: serviceClients.length,
      script_internal_commands_per_request: round(stores.total(scriptInternal) / n, 3),
      server_commandstats_delta: serverDelta,
      server_commands_per_request_less_background: round((clientCommands - backgroundPerSec * elapsedSec) / n, 3),
      background_commands_per_second: round(backgroundPerSec, 1),
      // A script's usec holds the commands it runs: the rate-limit script's time inside Redis per decision.
      script_usec_per_decision: round((scriptUsec(costAfter) - scriptUsec(costBefore)) / n, 2),
      server_cpu_us_per_request: round((cpuSpent * 1e6) / n, 2),
    },
    postgres: {
      usage_batch_statements: usageStatements,
      usage_rows_per_batch: usageStatements ? round(n / usageStatements, 1) : null,
      usage_table: usageTable ? usageTable[0].replace(/^WITH claimed AS \(.*\) (?=INSERT|COPY)/, '') : null,
      batch_bookkeeping_statements: bookkeeping,
      key_cache_misses: keyLookups,
      request_path_statements: otherStatements,
      request_path_statements_per_request: round(
        sumValues(
          otherStatements,
          () => true,
          (v) => v.count,
        ) / n,
        4,
      ),
      method: 'statements counted inside the service by a wrapper around pg.Client#query (bench/lib/service-probe.js)',
    },
    database: await usageRowCount(serviceDbUrl),
  };
}

/** The usage rows the service wrote over the whole run, from its own table when it exists. */
async function usageRowCount(databaseUrl) {
  return stores.withPg(databaseUrl, async (client) => {
    const tables = await client.query(
      `SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname LIKE '%usage%'`,
    );
    return Object.fromEntries(tables.rows.map((row) => [row.relname, Number(row.n_live_tup)]));
  });
}

/**
 * The V8 sampling profiler inside the service, on for one run of a scenario only; the profile is
 * kept in bench/profiles/ (open it in Chrome DevTools).
 */
async function profileScenario({ service, name, target, seconds }) {
  const dir = path.join(__dirname, 'profiles');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.cpuprofile`);
  await service.request('profile-start', { samplingIntervalUs: SETTINGS.profileSamplingUs });
  const load = await runLoad({ ...target, connections: SETTINGS.connections, durationSec: seconds });
  await service.request('profile-stop', { path: file });
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), ROOT, load.completed);
  return {
    file: path.relative(ROOT, file),
    rps_while_profiling: Math.round(load.completed / load.elapsedSec),
    sampling_interval_us: SETTINGS.profileSamplingUs,
    ...summary,
  };
}

/** Profiles `keyed`, and `baseline` beside it to show what the keyed path adds per request. */
async function profileKeyed({ service, targets }) {
  const baseline = await profileScenario({
    service,
    name: 'baseline',
    target: targets.baseline,
    seconds: Math.ceil(SETTINGS.profileSec / 2),
  });
  const keyed = await profileScenario({ service, name: 'keyed', target: targets.keyed, seconds: SETTINGS.profileSec });
  const trim = (p) => ({
    ...p,
    functions: p.functions.slice(0, PROFILE_TOP),
    modules: p.modules.slice(0, PROFILE_TOP),
  });
  return { keyed: trim(keyed), baseline: trim(baseline), added_by_keyed: compareModules(baseline, keyed, PROFILE_TOP) };
}

function machineFacts() {
  const cpus = os.cpus();
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return {
    cpu: `${cpus.length} x ${cpus[0]?.model ?? 'unknown'}`,
    memory_gb: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    load_average_1m: round(os.loadavg()[0], 2),
    commit: git.status === 0 ? git.stdout.trim() : null,
  };
}

const signed = (value) => `${value >= 0 ? '+' : ''}${round(value, 2)}`;

function evaluateTargets({ scenarios, at_fixed_rate: atFixedRate, per_keyed_request: perRequest }) {
  const by = Object.fromEntries(scenarios.map((s) => [s.name, s]));
  const { baseline, keyed, conventional, peer } = by;
  const keyedDb = by['keyed-db'];
  const errors = [...scenarios, ...atFixedRate].reduce(
    (sum, s) => sum + s.errors + s.non_2xx + (s.warmup_failures ?? 0),
    0,
  );
  const [fixedBaseline, fixedKeyed] = atFixedRate;
  const pacedAdded = fixedKeyed.runs_p99_ms.map((p99, i) => round(p99 - fixedBaseline.runs_p99_ms[i], 2));
  const loopDelays = (s) => s.service_loop_delay_by_run.map((d) => `${d.p99_ms}/${d.max_ms}`).join(', ');
  const p99Added = keyed.rounds_p99_ms.map((p99, i) => p99 - baseline.rounds_p99_ms[i]);
  const rounds = keyed.rounds_rps.length;
  const cpuRatio = keyed.cpu_us_per_request / baseline.cpu_us_per_request;
  const ratioByRound = (s) =>
    `per round median ${s.ratio_to_baseline_median.toFixed(3)} x (${s.ratio_to_baseline_min.toFixed(3)}-${s.ratio_to_baseline_max.toFixed(3)}, ${rounds} rounds); ` +
    `${round(s.rps / baseline.rps, 3).toFixed(3)} x all rounds combined`;
  const scriptUsec = perRequest.redis.script_usec_per_decision;
  return [
    {
      target: 'keyed throughput >= 0.70 x baseline (per-round median)',
      value: ratioByRound(keyed),
      met: keyed.ratio_to_baseline_median >= 0.7,
    },
    {
      target: 'service CPU per keyed request <= 1.4 x baseline',
      value: `${round(cpuRatio, 2)} x (${keyed.cpu_us_per_request} vs ${baseline.cpu_us_per_request} µs/req)`,
      met: cpuRatio <= 1.4,
    },
    {
      target: `keyed p99 <= baseline p99 + 2 ms in every paced run (${fixedKeyed.rate} req/s)`,
      value:
        `${pacedAdded.map(signed).join(' / ')} ms by run (keyed ${fixedKeyed.runs_p99_ms.join(' / ')}, baseline ${fixedBaseline.runs_p99_ms.join(' / ')}); ` +
        `service event-loop delay p99/max ms by run: keyed ${loopDelays(fixedKeyed)}; baseline ${loopDelays(fixedBaseline)}`,
      met: pacedAdded.every((added) => added <= 2),
    },
    {
      target: 'keyed-db throughput >= 0.30 x baseline (per-round median)',
      value: ratioByRound(keyedDb),
      met: keyedDb.ratio_to_baseline_median >= 0.3,
    },
    { target: 'zero errors and non-2xx (warm-ups included)', value: String(errors), met: errors === 0 },
    {
      target: 'Redis commands per keyed request <= 1 (the decisions of one event-loop turn share one)',
      value: String(perRequest.redis.service_commands_per_request),
      met: perRequest.redis.service_commands_per_request <= 1,
    },
    {
      target: 'Redis CPU per keyed decision <= 5 µs (`INFO commandstats` usec of the script / decisions)',
      value: `${scriptUsec} µs in the script; Redis main-thread CPU per keyed request (\`INFO cpu\`) ${perRequest.redis.server_cpu_us_per_request} µs`,
      met: scriptUsec <= 5,
    },
    {
      target: 'PostgreSQL statements on the request path = 0',
      value: String(perRequest.postgres.request_path_statements_per_request),
      met: perRequest.postgres.request_path_statements_per_request === 0,
    },
    {
      target: 'keyed throughput >= 5 x conventional',
      value: `${round(keyed.rps / conventional.rps, 2)} x`,
      met: keyed.rps >= 5 * conventional.rps,
    },
    {
      target: '(for context) keyed vs peer (Fastify + @fastify/rate-limit, one window, no usage rows)',
      value: `${round(keyed.rps / peer.rps, 2)} x its req/s; server CPU ${keyed.cpu_us_per_request} vs ${peer.cpu_us_per_request} µs/req`,
      met: null,
    },
    {
      target: '(for context) keyed p99 - baseline p99, 50 connections, saturated',
      value:
        `${keyed.p99_ms} ms vs ${baseline.p99_ms} ms (${signed(keyed.p99_ms - baseline.p99_ms)} ms) all rounds combined; ` +
        `per round median ${signed(median(p99Added))} ms (${signed(Math.min(...p99Added))} to ${signed(Math.max(...p99Added))})`,
      met: null,
    },
  ];
}

main().catch((error) => {
  process.stderr.write(`[bench] failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
