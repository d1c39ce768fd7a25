'use strict';
// `npm run bench:usage`: the usage table at volume on real PostgreSQL. Loads 1,000,000 rows over
// 100 keys and 30 days into a fresh database, times the query behind GET /api-keys/{id}/usage for
// one key over 7 and 90 days (p50/p95), then measures how many rows a second the real UsageBuffer
// and UsageWriter (from dist/, built by the npm script) write. See README "Usage".
const { randomBytes, randomUUID } = require('node:crypto');
const path = require('node:path');
const { Client, Pool } = require('pg');
const { DataSource } = require('typeorm');
const { createDatabase, dropDatabase } = require('./lib/stores');

const DIST = path.resolve(__dirname, '../dist/src');
const { buildDataSourceOptions } = require(`${DIST}/database/data-source-options`);
const { UsageBuffer } = require(`${DIST}/usage/usage-buffer`);
const { UsageWriter } = require(`${DIST}/usage/usage-writer`);
const { INSERT_USAGE_ROWS_SQL, KEY_USAGE_SQL } = require(`${DIST}/usage/usage.repository`);

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = 1_000_000;
const KEYS = 100;
const LOADED_DAYS = 30;
const QUERY_RUNS = 300;
const BUFFER_ROWS = Number(process.env.BENCH_USAGE_BUFFER_ROWS ?? 500_000);
const DAY_MS = 86_400_000;

const log = (message) => process.stdout.write(`[bench:usage] ${message}\n`);
const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The service's own migrations (partitioned table, index, maintenance function), then 31 days of partitions. */
async function createSchema(url) {
  const dataSource = new DataSource(buildDataSourceOptions({ databaseUrl: url }));
  await dataSource.initialize();
  await dataSource.query('SELECT api_key_usage_maintain($1, $2, $3)', [LOADED_DAYS + 1, 7, 90]);
  await dataSource.destroy();
}

/** 1,000,000 rows in time order (as the service writes them), keys and statuses interleaved. */
async function loadRows(client) {
  await client.query(`
    CREATE TEMP TABLE bench_keys AS
    SELECT n, gen_random_uuid() AS id, gen_random_uuid() AS user_id FROM generate_series(0, ${KEYS - 1}) AS n`);
  await client.query(`
    INSERT INTO api_key_usage (created_at, api_key_id, user_id, response_time_ms, status_code, method, route, client_ip)
    SELECT now() - interval '${LOADED_DAYS} days' + g * (interval '${LOADED_DAYS} days' / ${ROWS}),
           k.id, k.user_id, (random() * 200)::real,
           (ARRAY[200, 200, 200, 200, 200, 201, 204, 404, 403, 429, 500])[1 + g % 11],
           (ARRAY['GET', 'GET', 'POST', 'DELETE'])[1 + g % 4],
           (ARRAY['/tracks', '/tracks/:id', '/recommendations', '/whoami', '/tracks/:id/audio-features'])[1 + g % 5],
           '10.0.' || (g % 200) || '.' || (g % 250)
    FROM generate_series(1, ${ROWS}) AS g JOIN bench_keys k ON k.n = (g::bigint * 7919) % ${KEYS}`);
  // What autovacuum does on its own after a bulk insert: statistics and the visibility map
  // (which lets the covering index answer without visiting the table).
  await client.query('VACUUM ANALYZE api_key_usage');
  const { rows } = await client.query('SELECT id FROM bench_keys WHERE n = 42');
  return rows[0].id;
}

async function timeQuery(client, keyId, days) {
  const run = async () => {
    const end = new Date();
    const started = process.hrtime.bigint();
    const result = await client.query(KEY_USAGE_SQL, [keyId, new Date(end.getTime() - days * DAY_MS), end]);
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, rows: result.rows };
  };
  for (let i = 0; i < 20; i++) await run();
  const times = [];
  let counted = 0;
  for (let i = 0; i < QUERY_RUNS; i++) {
    const { ms, rows } = await run();
    times.push(ms);
    counted = rows.reduce((sum, row) => sum + row.requests, 0);
  }
  times.sort((a, b) => a - b);
  const { rows: plan } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${KEY_USAGE_SQL}`, [
    keyId,
    new Date(Date.now() - days * DAY_MS),
    new Date(),
  ]);
  const scan = plan.map((row) => row['QUERY PLAN']).find((line) => /Scan/.test(line)) ?? '';
  return {
    days,
    rows_aggregated: counted,
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    scan: scan.trim().replace(/\s+\(.*$/, ''),
  };
}

/**
 * The real buffer and writer, as the service configures them on PostgreSQL (two writers). First
 * the hot path alone: `record()` for every row, no write running (ns per row). Then the write
 * throughput: the time to drain that backlog into PostgreSQL (rows per second).
 */
async function bufferThroughput(url, batchSize) {
  const pool = new Pool({ connectionString: url, max: 10 });
  const quiet = { log: () => undefined, warn: (m) => log(`warn: ${m}`), error: (m) => log(`error: ${m}`) };
  const writer = new UsageWriter((batchId, parameters) => pool.query(INSERT_USAGE_ROWS_SQL, [...parameters, batchId]), {
    ensurePartitions: async () => undefined,
    retentionDays: 90,
    logger: quiet,
  });
  const buffer = new UsageBuffer({
    maxRows: BUFFER_ROWS,
    batchSize,
    flushIntervalMs: 250,
    writers: 2,
    logger: quiet,
    write: (rows, batchId) => writer.insert(rows, batchId),
  });
  const keys = Array.from({ length: KEYS }, () => [randomUUID(), randomUUID()]);
  const routes = ['/tracks', '/tracks/:id', '/recommendations', '/whoami'];
  const recordStarted = process.hrtime.bigint();
  for (let i = 0; i < BUFFER_ROWS; i++) {
    const [apiKeyId, userId] = keys[i % KEYS];
    buffer.record({
      apiKeyId,
      userId,
      method: 'GET',
      route: routes[i % 4],
      statusCode: 200,
      responseTimeMs: 1.25,
      clientIp: '127.0.0.1',
      createdAt: Date.now(),
    });
  }
  const recordNs = Number(process.hrtime.bigint() - recordStarted);
  const drainStarted = process.hrtime.bigint();
  await buffer.drain(120_000);
  const drainMs = Number(process.hrtime.bigint() - drainStarted) / 1e6;
  await pool.end();
  return {
    batch_size: batchSize,
    rows: BUFFER_ROWS,
    dropped: buffer.dropped,
    record_ns_per_row: round(recordNs / BUFFER_ROWS, 0),
    rows_per_second: Math.round(BUFFER_ROWS / (drainMs / 1000)),
  };
}

/** The migration's covering index, or the plain (key, time) one it was measured against. */
const INDEXES = {
  covering:
    'CREATE INDEX api_key_usage_key_time_idx ON api_key_usage (api_key_id, created_at) INCLUDE (status_code, response_time_ms, route)',
  plain: 'CREATE INDEX api_key_usage_key_time_idx ON api_key_usage (api_key_id, created_at)',
};

async function useIndex(client, index) {
  await client.query('DROP INDEX api_key_usage_key_time_idx');
  await client.query(INDEXES[index]);
  await client.query('VACUUM ANALYZE api_key_usage');
}

async function main() {
  const name = `tt_bench_usage_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(ADMIN_URL, name);
  const report = { queries: [], throughput: [] };
  try {
    await createSchema(url);
    const client = new Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    const started = Date.now();
    const keyId = await loadRows(client);
    log(
      `loaded ${ROWS} rows over ${KEYS} keys and ${LOADED_DAYS} days in ${round((Date.now() - started) / 1000, 1)} s`,
    );
    for (const index of ['covering', 'plain']) {
      if (index !== 'covering') await useIndex(client, index);
      for (const days of [7, 90]) {
        const q = { index, ...(await timeQuery(client, keyId, days)) };
        report.queries.push(q);
        log(
          `usage query, ${index} index, one key, ${days} days (${q.rows_aggregated} rows): p50 ${q.p50_ms} ms, p95 ${q.p95_ms} ms [${q.scan}]`,
        );
      }
    }
    await client.query('TRUNCATE api_key_usage');
    for (const [index, batchSize] of [
      ['plain', 1000],
      ['covering', 1000],
      ['covering', 5000],
    ]) {
      if (index !== 'plain') await useIndex(client, index);
      const result = { index, ...(await bufferThroughput(url, batchSize)) };
      report.throughput.push(result);
      log(
        `buffer -> PostgreSQL, ${index} index, batches of ${batchSize}: ${result.rows_per_second} rows/s (${result.rows} rows, ${result.dropped} dropped; record() ${result.record_ns_per_row} ns/row)`,
      );
      await client.query('TRUNCATE api_key_usage');
    }
    await client.end();
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await dropDatabase(ADMIN_URL, name);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
