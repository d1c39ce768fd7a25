'use strict';
// Preloaded (`node -r`) into the service under test, nothing else: counts the SQL statements the
// service sends to PostgreSQL, runs the V8 CPU profiler (the sampler behind `node --cpu-prof`) and
// measures the event loop's delay for exactly the window the bench asks for. The bench talks to it
// over the child-process IPC channel.
const { Session } = require('node:inspector');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');
const { Client } = require('pg');

const statements = new Map();
const callSites = new Map();
let recordCallSites = false;
const originalQuery = Client.prototype.query;

/**
 * The statement's text, whitespace collapsed and cut, so one SQL shape is one entry. Cut long
 * enough to keep the FROM and WHERE of the key look-up (over 400 characters), which the bench
 * tells apart from other statements by them.
 */
function fingerprint(query) {
  const text =
    typeof query === 'string' ? query : query && typeof query.text === 'string' ? query.text : '(non-text query)';
  return text.replace(/\s+/g, ' ').trim().slice(0, 2000);
}

Client.prototype.query = function countedQuery(query, ...rest) {
  const key = fingerprint(query);
  statements.set(key, (statements.get(key) ?? 0) + 1);
  if (recordCallSites && !callSites.has(key)) callSites.set(key, serviceFrames(deepStack()));
  return originalQuery.call(this, query, ...rest);
};

function deepStack() {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const { stack } = new Error();
  Error.stackTraceLimit = limit;
  return stack;
}

/** The service's own frames of a stack (async frames included), innermost first. */
function serviceFrames(stack) {
  return stack
    .split('\n')
    .filter((line) => line.includes('/dist/src/'))
    .slice(0, 4)
    .map((line) =>
      line
        .trim()
        .replace(/^at /, '')
        .replace(/(\(|^)\/\S*?\/dist\/src\//, '$1'),
    );
}

let session;
let loopDelay;
// Fine enough to see a stall of a few milliseconds; the histogram's own timer costs little at this rate.
const LOOP_DELAY_RESOLUTION_MS = 1;
const NS_PER_MS = 1e6;

const handlers = {
  statements: () => Object.fromEntries(statements),
  'call-sites': ({ record }) => {
    recordCallSites = record;
    return Object.fromEntries(callSites);
  },
  /** How late the event loop ran its timer from now until 'loop-delay-stop': a stall of the request thread. */
  'loop-delay-start': () => {
    loopDelay?.disable();
    loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
    loopDelay.enable();
    return true;
  },
  'loop-delay-stop': () => {
    loopDelay.disable();
    const ms = (ns) => Math.round((ns / NS_PER_MS) * 100) / 100;
    const result = {
      p50_ms: ms(loopDelay.percentile(50)),
      p99_ms: ms(loopDelay.percentile(99)),
      max_ms: ms(loopDelay.max),
      samples: loopDelay.count,
    };
    loopDelay = undefined;
    return result;
  },
  'profile-start': ({ samplingIntervalUs }) =>
    new Promise((resolve, reject) => {
      session = new Session();
      session.connect();
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs }, () =>
          session.post('Profiler.start', (error) => (error ? reject(error) : resolve(true))),
        ),
      );
    }),
  'profile-stop': ({ path }) =>
    new Promise((resolve, reject) => {
      session.post('Profiler.stop', (error, result) => {
        if (error) return reject(error);
        writeFileSync(path, JSON.stringify(result.profile));
        session.disconnect();
        resolve(path);
      });
    }),
};

process.on('message', async (message) => {
  if (!message || !handlers[message.type]) return;
  try {
    process.send({ id: message.id, result: await handlers[message.type](message) });
  } catch (error) {
    process.send({ id: message.id, error: String(error && error.message ? error.message : error) });
  }
});
// The IPC channel must not keep the service alive once it has shut down.
if (process.channel) process.channel.unref();
