'use strict';
const autocannon = require('autocannon');

/** Latencies (ms, sub-millisecond precision) in a growable Float64Array. */
class LatencyLog {
  constructor() {
    this.values = new Float64Array(1 << 16);
    this.length = 0;
  }

  push(value) {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  append(other) {
    for (let i = 0; i < other.length; i++) this.push(other.values[i]);
  }

  sorted() {
    return this.values.slice(0, this.length).sort();
  }
}

/**
 * One autocannon run (`durationSec` or a fixed `amount` of requests; as fast as the server answers,
 * or at `overallRate` requests per second). Latencies are taken from
 * every response rather than from autocannon's whole-millisecond histogram, so p99 differences
 * under a millisecond show.
 */
function runLoad({ url, headers = {}, connections, durationSec, amount, overallRate }) {
  return new Promise((resolve, reject) => {
    const latencies = new LatencyLog();
    const startedAt = process.hrtime.bigint();
    const instance = autocannon(
      { url, headers, connections, overallRate, ...(amount ? { amount } : { duration: durationSec }), timeout: 10 },
      (error, result) => {
        if (error) return reject(error);
        const elapsedSec = Number(process.hrtime.bigint() - startedAt) / 1e9;
        resolve({
          completed: result.requests.total,
          elapsedSec,
          latencies,
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          statusCodes: Object.fromEntries(
            Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
          ),
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
  });
}

/** Adds up rounds of one scenario. */
function combineRuns(runs) {
  const latencies = new LatencyLog();
  const statusCodes = {};
  let completed = 0;
  let elapsedSec = 0;
  let errors = 0;
  let timeouts = 0;
  let non2xx = 0;
  let cpuSec = 0;
  for (const run of runs) {
    cpuSec = cpuSec === null || run.cpuSec === null || run.cpuSec === undefined ? null : cpuSec + run.cpuSec;
    latencies.append(run.latencies);
    completed += run.completed;
    elapsedSec += run.elapsedSec;
    errors += run.errors;
    timeouts += run.timeouts;
    non2xx += run.non2xx;
    for (const [code, count] of Object.entries(run.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  }
  return { completed, elapsedSec, latencies, errors, timeouts, non2xx, statusCodes, cpuSec };
}

const percentile = (sorted, p) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The figures the table shows. */
function summarize(run) {
  const sorted = run.latencies.sorted();
  return {
    requests: run.completed,
    seconds: round(run.elapsedSec, 2),
    rps: Math.round(run.completed / run.elapsedSec),
    p50_ms: round(percentile(sorted, 50), 2),
    p99_ms: round(percentile(sorted, 99), 2),
    max_ms: round(sorted[sorted.length - 1], 2),
    cpu_us_per_request:
      run.cpuSec === null || run.cpuSec === undefined ? null : Math.round((run.cpuSec * 1e6) / run.completed),
    errors: run.errors + run.timeouts,
    non_2xx: run.non2xx,
    status_codes: run.statusCodes,
  };
}

const round = (value, digits) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The middle value (the mean of the middle two for an even count). */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

module.exports = { LatencyLog, combineRuns, median, percentile, round, runLoad, summarize };
