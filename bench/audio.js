'use strict';
// `npm run bench:audio`: how long a 3-minute 44.1 kHz stereo WAV takes to analyse (in this process,
// and through POST /tracks/{id}/audio), and keyed GET /whoami p99 at a paced rate with and without
// two analyses in flight (the difference is what an analysis costs other requests). Beside each
// phase it reports the service's event-loop delay (measured inside it by bench/lib/service-probe.js)
// and the CPU each of its threads used, so a stall of the request thread shows apart from a core
// the request thread had to wait for.
// Uses dist/ (built by the npm script), real PostgreSQL and Redis, a database and Redis prefix of its own.
const { fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { createClient } = require('redis');
const { WaveFile } = require('wavefile');
const { call, registerUnlimitedUser, serviceEnvironment } = require('./lib/service-setup');
const { ChildService, findFreePort, sleep } = require('./lib/processes');
const { median, round } = require('./lib/load');
const { runPaced, summarizePaced } = require('./lib/paced-load');
const stores = require('./lib/stores');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist/src');
const SERVICE_ENTRY = path.join(DIST, 'main.js');
const PROBE = path.join(__dirname, 'lib/service-probe.js');
const UPLOAD_LOOP = path.join(__dirname, 'lib/upload-loop.js');
// USER_HZ: /proc/<pid>/task/<tid>/stat counts CPU time in these ticks (100 on Linux).
const CLOCK_TICKS_PER_SECOND = 100;
/** Scheduling policies as /proc shows them (sched(7)). */
const POLICIES = { 0: 'normal', 3: 'batch', 5: 'idle' };
const RESULTS = path.join(__dirname, 'audio-results.json');
const SETTINGS = {
  adminDatabaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  ports: [3140, 3149],
  workers: process.env.BENCH_AUDIO_WORKERS ?? '1',
  // The service's AUDIO_UPLOAD_BYTES_PER_SECOND; its default when unset.
  uploadBytesPerSecond: process.env.BENCH_AUDIO_UPLOAD_BYTES_PER_SECOND,
  seconds: 180,
  rate: 44_100,
  inProcessRuns: 2,
  pacedRate: 200,
  connections: 10,
  rounds: 3,
  roundSec: 6,
  concurrentAnalyses: 2,
};

const log = (message) => process.stdout.write(`[bench:audio] ${message}\n`);

/** Each thread of a process: name, nice value and CPU seconds used so far (Linux /proc; {} elsewhere). */
function threadTimes(pid) {
  const threads = {};
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      // Fields 14, 15 (utime, stime), 19 (nice) and 41 (policy) of proc(5), counted from the state (field 3).
      const cpuSec = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
      // schedstat: time on the CPU, time runnable but waiting for a CPU (ns), and times scheduled in.
      const [, waitNs, slices] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
      threads[tid] = {
        name,
        nice: Number(fields[16]),
        policy: POLICIES[fields[38]] ?? fields[38],
        cpuSec,
        waitMs: waitNs / 1e6,
        slices,
      };
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

/**
 * CPU per thread between two `threadTimes` snapshots, as a share of the window, and how long it was
 * runnable but waited for a CPU (per second of the window, and per time it was scheduled in): waiting
 * is contention for the cores, as opposed to the thread being busy. Busiest first, threads under 1 % left out.
 */
function threadShares(before, after, seconds) {
  return Object.entries(after)
    .map(([tid, { name, nice, policy, cpuSec, waitMs, slices }]) => {
      const earlier = before[tid] ?? { cpuSec: 0, waitMs: 0, slices: 0 };
      return {
        tid: Number(tid),
        name,
        nice,
        policy,
        cpu_percent: round((100 * (cpuSec - earlier.cpuSec)) / seconds, 0),
        cpu_wait_ms_per_s: round((waitMs - earlier.waitMs) / seconds, 1),
        cpu_wait_ms_per_slice: round((waitMs - earlier.waitMs) / Math.max(1, slices - earlier.slices), 3),
      };
    })
    .filter((thread) => thread.cpu_percent >= 1)
    .sort((a, b) => b.cpu_percent - a.cpu_percent);
}

const loadAverage = () => round(loadavg()[0], 2);

/** The forked upload loop (bench/lib/upload-loop.js): `send` a message and wait for its answer. */
function uploader() {
  const child = fork(UPLOAD_LOOP, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const answer = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message.type !== type) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        if (message.error) reject(new Error(message.error));
        else resolve(message);
      };
      const onExit = (code) => reject(new Error(`the upload loop exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return {
    start: (payload) => {
      child.send({ type: 'start', ...payload });
      return answer('started');
    },
    stop: () => {
      child.send({ type: 'stop' });
      return answer('stopped');
    },
    exit: () => child.kill(),
  };
}

/** Something like music: a 128 bpm kick, a 220 Hz tone and quiet noise, slightly different per channel. */
function recording() {
  const frames = SETTINGS.seconds * SETTINGS.rate;
  const channels = [new Int16Array(frames), new Int16Array(frames)];
  let seed = 42;
  const noise = () => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 0.05;
  const beat = (60 / 128) * SETTINGS.rate;
  for (let i = 0; i < frames; i++) {
    const sinceBeat = i % beat;
    const kick =
      0.6 * Math.exp(-sinceBeat / (0.03 * SETTINGS.rate)) * Math.sin((2 * Math.PI * 60 * sinceBeat) / SETTINGS.rate);
    const tone = 0.2 * Math.sin((2 * Math.PI * 220 * i) / SETTINGS.rate);
    channels[0][i] = Math.round((kick + tone + noise()) * 32767);
    channels[1][i] = Math.round((kick + 0.8 * tone + noise()) * 32767);
  }
  const wav = new WaveFile();
  wav.fromScratch(2, SETTINGS.rate, '16', channels);
  return Buffer.from(wav.toBuffer());
}

/** An enterprise account with limits no run reaches, a key for /whoami and uploads, one track. */
async function setUp(baseUrl, admin, run) {
  const registered = await registerUnlimitedUser(baseUrl, admin, `bench-audio-${run}@example.com`);
  const key = await call(baseUrl, 'POST', '/api-keys', {
    token: registered.access_token,
    body: { name: 'bench', scopes: ['read:tracks', 'write:tracks', 'write:audio_features'] },
    expect: 201,
  });
  const track = await call(baseUrl, 'POST', '/tracks', {
    token: key.api_key,
    body: { title: 'Bench', artist: 'TuneTrail', duration_ms: SETTINGS.seconds * 1000 },
    expect: 201,
  });
  return { apiKey: key.api_key, trackId: track.id };
}

async function upload(baseUrl, { apiKey, trackId }, wav) {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/tracks/${trackId}/audio`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'audio/wav' },
    body: wav,
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${JSON.stringify(body)}`);
  return { ms: performance.now() - started, body };
}

async function main() {
  if (!existsSync(SERVICE_ENTRY)) throw new Error(`${SERVICE_ENTRY} is missing: run \`npm run bench:audio\``);
  const { decodeWav } = require(path.join(DIST, 'audio-analysis/wav-decoder'));
  const { analyzeAudio } = require(path.join(DIST, 'audio-analysis/audio-features'));
  const { loadConfig } = require(path.join(DIST, 'config/app-config'));
  const uploadBytesPerSecond = Number(SETTINGS.uploadBytesPerSecond ?? loadConfig({}).audioUploadBytesPerSecond);

  log(`generating a ${SETTINGS.seconds} s ${SETTINGS.rate} Hz stereo 16-bit WAV`);
  const wav = recording();
  const inProcess = [];
  for (let i = 0; i < SETTINGS.inProcessRuns; i++) {
    const started = performance.now();
    const decoded = decodeWav(wav);
    const decodedAt = performance.now();
    const analysis = analyzeAudio(decoded);
    inProcess.push({ decode_ms: decodedAt - started, analyze_ms: performance.now() - decodedAt, bpm: analysis.bpm });
    log(
      `in process: decode ${Math.round(decodedAt - started)} ms, analyse ${Math.round(performance.now() - decodedAt)} ms, bpm ${analysis.bpm}`,
    );
  }

  const run = randomBytes(4).toString('hex');
  const database = `tt_bench_audio_${run}`;
  const redisPrefix = `tt:bench:audio:${run}:`;
  const cleanups = [];
  const redis = createClient({ url: SETTINGS.redisUrl });
  await redis.connect();
  cleanups.push(async () => {
    await stores.deleteRedisKeys(redis, redisPrefix);
    await redis.quit();
  });
  try {
    const databaseUrl = await stores.createDatabase(SETTINGS.adminDatabaseUrl, database);
    cleanups.unshift(() => stores.dropDatabase(SETTINGS.adminDatabaseUrl, database));
    const port = await findFreePort(...SETTINGS.ports);
    const admin = { email: `bench-admin-${run}@example.com`, password: randomBytes(12).toString('hex') };
    const service = new ChildService(
      'service',
      ['-r', PROBE, SERVICE_ENTRY],
      {
        ...serviceEnvironment({ port, databaseUrl, redisUrl: SETTINGS.redisUrl, redisPrefix, admin }),
        AUDIO_WORKERS: SETTINGS.workers,
        ...(SETTINGS.uploadBytesPerSecond && { AUDIO_UPLOAD_BYTES_PER_SECOND: SETTINGS.uploadBytesPerSecond }),
      },
      { ipc: true, cwd: ROOT },
    );
    cleanups.unshift(() => service.stop());
    const baseUrl = `http://127.0.0.1:${port}`;
    await service.waitUntilServing(`${baseUrl}/health`);
    const fixture = await setUp(baseUrl, admin, run);

    const wavPath = path.join(tmpdir(), `tt-bench-audio-${run}.wav`);
    writeFileSync(wavPath, wav);
    cleanups.push(() => rmSync(wavPath, { force: true }));
    const uploads = uploader();
    cleanups.push(() => uploads.exit());

    const single = await upload(baseUrl, fixture, wav);
    log(`through the API: ${Math.round(single.ms)} ms (upload, decode, analysis, store), bpm ${single.body.bpm}`);

    const whoami = (durationSec) =>
      runPaced({
        url: `${baseUrl}/whoami`,
        headers: { authorization: `Bearer ${fixture.apiKey}` },
        connections: SETTINGS.connections,
        rate: SETTINGS.pacedRate,
        durationSec,
      });
    /** A paced /whoami run, with the service's event-loop delay and per-thread CPU over the same window. */
    const measured = async (durationSec) => {
      const threadsBefore = threadTimes(service.pid);
      const benchBefore = threadTimes(process.pid);
      const startedMs = performance.now();
      await service.request('loop-delay-start');
      const run = await whoami(durationSec);
      run.loopDelay = await service.request('loop-delay-stop');
      const seconds = (performance.now() - startedMs) / 1000;
      run.threads = threadShares(threadsBefore, threadTimes(service.pid), seconds);
      run.generatorThread = threadShares(benchBefore, threadTimes(process.pid), seconds).find(
        (thread) => thread.tid === process.pid,
      );
      return run;
    };
    await whoami(2);
    const loadAtStart = loadAverage();
    log(`load average (1 min) at the start of the measured rounds: ${loadAtStart}`);
    const idle = [];
    const busy = [];
    for (let round = 1; round <= SETTINGS.rounds; round++) {
      idle.push(await measured(SETTINGS.roundSec));
      await uploads.start({
        wavPath,
        concurrency: SETTINGS.concurrentAnalyses,
        target: { baseUrl, apiKey: fixture.apiKey, trackId: fixture.trackId },
      });
      // Let both uploads arrive and the first analysis start before measuring.
      await sleep(1000);
      busy.push(await measured(SETTINGS.roundSec));
      const { uploadsMs } = await uploads.stop();
      busy.at(-1).uploadsMs = uploadsMs;
      const [a, b] = [idle.at(-1), busy.at(-1)];
      const [pa, pb] = [a, b].map((r) => summarizePaced([r]).p99_ms);
      log(
        `round ${round}: /whoami p99 idle ${pa} ms, with ${SETTINGS.concurrentAnalyses} analyses ${pb} ms; ` +
          `event-loop delay p99/max idle ${a.loopDelay.p99_ms}/${a.loopDelay.max_ms} ms, ` +
          `with analyses ${b.loopDelay.p99_ms}/${b.loopDelay.max_ms} ms; load ${loadAverage()}`,
      );
      const thread = (t) => `${t.tid}(${t.policy}, nice ${t.nice}) ${t.cpu_percent}% wait ${t.cpu_wait_ms_per_s} ms/s`;
      const threads = (r) => r.threads.map(thread).join(', ');
      log(`  service threads idle: ${threads(a)}; with analyses: ${threads(b)}`);
      log(`  bench generator thread idle: ${thread(a.generatorThread)}; with analyses: ${thread(b.generatorThread)}`);
      log(`  uploads answered meanwhile: ${b.uploadsMs.map((ms) => Math.round(ms)).join(', ')} ms`);
    }
    /**
     * One phase's figures: /whoami latency, the service's event-loop delay (worst round, and every
     * round's), how late the bench's own generator sent (its stall, not the service's), and the CPU
     * of each thread in the last round.
     */
    const phase = (runs) => {
      const summary = summarizePaced(runs);
      return {
        p50_ms: summary.p50_ms,
        p99_ms: summary.p99_ms,
        runs_p99_ms: summary.runs_p99_ms,
        event_loop_delay: {
          p99_ms: Math.max(...runs.map((r) => r.loopDelay.p99_ms)),
          max_ms: Math.max(...runs.map((r) => r.loopDelay.max_ms)),
          runs_p99_ms: runs.map((r) => r.loopDelay.p99_ms),
          runs_max_ms: runs.map((r) => r.loopDelay.max_ms),
        },
        generator: {
          start_lag_p99_ms: summary.start_lag_p99_ms,
          timer_late_max_ms: summary.generator_timer_late_max_ms,
        },
        threads_last_round: runs.at(-1).threads,
        generator_thread_last_round: runs.at(-1).generatorThread,
      };
    };
    const idleSummary = phase(idle);
    const busySummary = phase(busy);
    const results = {
      measured_at: new Date().toISOString(),
      audio_workers: Number(SETTINGS.workers),
      upload_bytes_per_second: uploadBytesPerSecond,
      recording: `${SETTINGS.seconds} s, ${SETTINGS.rate} Hz, stereo, 16-bit (${wav.length} bytes)`,
      in_process_decode_ms: round(median(inProcess.map((r) => r.decode_ms)), 0),
      in_process_analyze_ms: round(median(inProcess.map((r) => r.analyze_ms)), 0),
      api_round_trip_ms: round(single.ms, 0),
      load_average_at_start: loadAtStart,
      load_average_at_end: loadAverage(),
      whoami_paced_rate: SETTINGS.pacedRate,
      whoami_idle: idleSummary,
      whoami_during_analyses: {
        ...busySummary,
        uploads_ms: busy.flatMap((r) => r.uploadsMs.map((ms) => Math.round(ms))),
      },
      stall_p99_ms: round(busySummary.p99_ms - idleSummary.p99_ms, 2),
    };
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    log(JSON.stringify(results));
  } finally {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch (error) {
        log(`cleanup: ${error.message}`);
      }
    }
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
