'use strict';
// `npm run bench:audio`: how long a 3-minute 44.1 kHz stereo WAV takes to analyse (in this process,
// and through POST /tracks/{id}/audio), and keyed GET /whoami p99 at a paced rate with and without
// two analyses in flight (the difference is what an analysis costs other requests).
// Uses dist/ (built by the npm script), real PostgreSQL and Redis, a database and Redis prefix of its own.
const { randomBytes } = require('node:crypto');
const { existsSync, writeFileSync } = require('node:fs');
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
const RESULTS = path.join(__dirname, 'audio-results.json');
const SETTINGS = {
  adminDatabaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  ports: [3140, 3149],
  workers: process.env.BENCH_AUDIO_WORKERS ?? '1',
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
      [SERVICE_ENTRY],
      {
        ...serviceEnvironment({ port, databaseUrl, redisUrl: SETTINGS.redisUrl, redisPrefix, admin }),
        AUDIO_WORKERS: SETTINGS.workers,
      },
      { cwd: ROOT },
    );
    cleanups.unshift(() => service.stop());
    const baseUrl = `http://127.0.0.1:${port}`;
    await service.waitUntilServing(`${baseUrl}/health`);
    const fixture = await setUp(baseUrl, admin, run);

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
    await whoami(2);
    const idle = [];
    const busy = [];
    for (let round = 1; round <= SETTINGS.rounds; round++) {
      idle.push(await whoami(SETTINGS.roundSec));
      let measuring = true;
      const loops = Array.from({ length: SETTINGS.concurrentAnalyses }, async () => {
        while (measuring) await upload(baseUrl, fixture, wav);
      });
      // Let both uploads arrive and the first analysis start before measuring.
      await sleep(1000);
      busy.push(await whoami(SETTINGS.roundSec));
      measuring = false;
      await Promise.all(loops);
      const [a, b] = [idle.at(-1), busy.at(-1)].map((r) => summarizePaced([r]).p99_ms);
      log(`round ${round}: /whoami p99 idle ${a} ms, with ${SETTINGS.concurrentAnalyses} analyses ${b} ms`);
    }
    const idleSummary = summarizePaced(idle);
    const busySummary = summarizePaced(busy);
    const results = {
      measured_at: new Date().toISOString(),
      audio_workers: Number(SETTINGS.workers),
      recording: `${SETTINGS.seconds} s, ${SETTINGS.rate} Hz, stereo, 16-bit (${wav.length} bytes)`,
      in_process_decode_ms: round(median(inProcess.map((r) => r.decode_ms)), 0),
      in_process_analyze_ms: round(median(inProcess.map((r) => r.analyze_ms)), 0),
      api_round_trip_ms: round(single.ms, 0),
      whoami_paced_rate: SETTINGS.pacedRate,
      whoami_idle: { p50_ms: idleSummary.p50_ms, p99_ms: idleSummary.p99_ms, runs_p99_ms: idleSummary.runs_p99_ms },
      whoami_during_analyses: {
        p50_ms: busySummary.p50_ms,
        p99_ms: busySummary.p99_ms,
        runs_p99_ms: busySummary.runs_p99_ms,
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
