'use strict';
// An open-loop load generator: requests are scheduled evenly spaced in time at a fixed rate, and
// each one's latency counts from its scheduled start, so a server that falls behind shows its
// queueing instead of slowing the generator down (no coordinated omission). autocannon's
// `overallRate` is a per-connection quota reset every second: each second opens with a burst at full
// speed, then idles, so what it reports at a "fixed rate" is mostly that burst's queueing.
const net = require('node:net');
const { performance } = require('node:perf_hooks');
const { LatencyLog, combineRuns, percentile, round, summarize } = require('./load');

const CRLF2 = Buffer.from('\r\n\r\n');

/**
 * One complete HTTP/1.1 response at the start of `buffer`: { status, length } in bytes, or null
 * while incomplete. Bodies framed by Content-Length or chunked; none other is expected from a
 * keep-alive server answering GET.
 */
function parseResponse(buffer) {
  const headerEnd = buffer.indexOf(CRLF2);
  if (headerEnd === -1) return null;
  const head = buffer.toString('latin1', 0, headerEnd);
  const status = Number(head.slice(9, 12));
  const bodyStart = headerEnd + 4;
  if (status === 204 || status === 304) return { status, length: bodyStart };
  const contentLength = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
  if (contentLength) {
    const length = bodyStart + Number(contentLength[1]);
    return buffer.length >= length ? { status, length } : null;
  }
  if (!/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) throw new Error(`unframed response body (status ${status})`);
  let position = bodyStart;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', position);
    if (lineEnd === -1) return null;
    const size = parseInt(buffer.toString('latin1', position, lineEnd), 16);
    if (size === 0) {
      // The last chunk, then trailers (usually none) up to an empty line.
      const end = buffer.indexOf(CRLF2, lineEnd);
      return end === -1 ? null : { status, length: end + 4 };
    }
    position = lineEnd + 2 + size + 2;
    if (position > buffer.length) return null;
  }
}

/**
 * `rate` GET requests per second to `url` for `durationSec`, over `connections` keep-alive raw TCP
 * connections opened before the first request. Request i is due at start + i / rate; on every timer
 * tick and every response, each due request goes to a free connection, or waits (FIFO) until one
 * frees. Resolves once every scheduled request has an answer, an error, or has timed out.
 * Also returns how late requests were sent (scheduled start to write: the generator's own lateness
 * plus waiting for a free connection) and the CPU the generator used.
 */
function runPaced({ url, headers = {}, connections, rate, durationSec, timeoutSec = 10 }) {
  const { hostname, port, pathname, search } = new URL(url);
  const request = Buffer.from(
    `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: keep-alive\r\n` +
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      '\r\n',
  );
  const total = Math.round(rate * durationSec);
  const intervalMs = 1000 / rate;
  const timeoutMs = timeoutSec * 1000;
  const latencies = new LatencyLog();
  const startLags = new LatencyLog();
  const statusCodes = {};
  let errors = 0;
  let timeouts = 0;
  let non2xx = 0;
  let completed = 0;
  let next = 0; // the first request not sent yet
  let startMs = 0;
  let finished = false;
  // How late the generator's own timer fired at worst: a stall of the generator (or of the whole
  // machine), as opposed to requests waiting for a connection the server has not answered on.
  let tickDueMs = 0;
  let timerLateMaxMs = 0;
  const free = [];
  const all = new Set();

  return new Promise((resolve, reject) => {
    let tickTimer = null;
    let sweepTimer = null;
    const cpuBefore = process.cpuUsage();

    const done = () => completed + errors + timeouts === total;

    /** Closes every connection without counting or reconnecting. */
    const closeAll = () => {
      finished = true;
      const sockets = [...all];
      all.clear();
      for (const socket of sockets) socket.destroy();
    };

    const finish = () => {
      if (finished) return;
      clearTimeout(tickTimer);
      clearInterval(sweepTimer);
      const elapsedSec = (performance.now() - startMs) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      closeAll();
      resolve({
        completed,
        elapsedSec,
        latencies,
        startLags,
        errors,
        timeouts,
        non2xx,
        statusCodes,
        generatorCpuSec: (cpu.user + cpu.system) / 1e6,
        timerLateMaxMs,
      });
    };

    /**
     * Sends every due request a free connection can take; the longest-idle connection first, so
     * that all of them carry requests, as many clients would.
     */
    const dispatch = () => {
      const now = performance.now();
      while (next < total && free.length > 0) {
        const scheduledMs = startMs + next * intervalMs;
        if (scheduledMs > now) break;
        const socket = free.shift();
        socket.scheduledMs = scheduledMs;
        socket.sentMs = now;
        startLags.push(now - scheduledMs);
        next++;
        socket.write(request);
      }
    };

    const tick = () => {
      if (tickDueMs) timerLateMaxMs = Math.max(timerLateMaxMs, performance.now() - tickDueMs);
      dispatch();
      if (next < total) {
        // Node's timers fire after 1 ms at the soonest.
        const delayMs = Math.max(1, startMs + next * intervalMs - performance.now());
        tickDueMs = performance.now() + delayMs;
        tickTimer = setTimeout(tick, delayMs);
      }
    };

    /** An answered request frees its connection, which may take a due request at once. */
    const onResponse = (socket, status) => {
      latencies.push(performance.now() - socket.scheduledMs);
      socket.scheduledMs = null;
      completed++;
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      if (status < 200 || status >= 300) non2xx++;
      free.push(socket);
      if (done()) return finish();
      dispatch();
    };

    /** A connection lost with a request on it counts that request as failed, then reconnects. */
    const lose = (socket, countAs) => {
      if (!all.delete(socket)) return;
      const index = free.indexOf(socket);
      if (index !== -1) free.splice(index, 1);
      socket.destroy();
      if (socket.scheduledMs !== null) {
        if (countAs === 'timeout') timeouts++;
        else errors++;
      }
      if (finished) return;
      if (done()) return finish();
      setTimeout(() => !finished && connect().catch(() => {}), 50);
    };

    const connect = () =>
      new Promise((resolveSocket, rejectSocket) => {
        const socket = net.connect({ host: hostname, port: Number(port), noDelay: true, keepAlive: true });
        socket.scheduledMs = null;
        let buffer = Buffer.alloc(0);
        socket.once('connect', () => {
          all.add(socket);
          free.push(socket);
          resolveSocket(socket);
          if (startMs) dispatch();
        });
        socket.on('data', (chunk) => {
          buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
          try {
            for (let response = parseResponse(buffer); response; response = parseResponse(buffer)) {
              buffer = buffer.subarray(response.length);
              if (socket.scheduledMs === null) throw new Error('a response with no request');
              onResponse(socket, response.status);
            }
          } catch (error) {
            socket.emit('error', error);
          }
        });
        socket.on('error', (error) => {
          rejectSocket(error);
          lose(socket, 'error');
        });
        socket.on('close', () => lose(socket, 'error'));
      });

    Promise.all(Array.from({ length: connections }, connect)).then(
      () => {
        startMs = performance.now();
        // Requests still unanswered a timeout after the schedule ends (sent or not) count as timed out.
        const deadlineMs = startMs + durationSec * 1000 + timeoutMs;
        sweepTimer = setInterval(() => {
          const now = performance.now();
          if (now > deadlineMs) {
            timeouts += total - completed - errors - timeouts;
            return finish();
          }
          for (const socket of all)
            if (socket.scheduledMs !== null && now - socket.sentMs > timeoutMs) lose(socket, 'timeout');
        }, 250);
        tick();
      },
      (error) => {
        closeAll();
        reject(error);
      },
    );
  });
}

/** Paced runs of one scenario combined: the table's figures, per run p99, how late requests were sent and why. */
function summarizePaced(runs) {
  const startLags = new LatencyLog();
  for (const run of runs) startLags.append(run.startLags);
  const sortedLags = startLags.sorted();
  const requests = runs.reduce((sum, run) => sum + run.completed, 0);
  const generatorCpuSec = runs.reduce((sum, run) => sum + run.generatorCpuSec, 0);
  return {
    ...summarize(combineRuns(runs)),
    runs_p99_ms: runs.map((run) => summarize(run).p99_ms),
    start_lag_p50_ms: round(percentile(sortedLags, 50), 2),
    start_lag_p99_ms: round(percentile(sortedLags, 99), 2),
    generator_cpu_us_per_request: requests ? Math.round((generatorCpuSec * 1e6) / requests) : null,
    generator_timer_late_max_ms: round(Math.max(...runs.map((run) => run.timerLateMaxMs)), 2),
  };
}

module.exports = { runPaced, summarizePaced };
