'use strict';
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const net = require('node:net');

// USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on Linux).
const CLOCK_TICKS_PER_SECOND = 100;

/** The first port in [from, to] nothing listens on, on loopback. */
async function findFreePort(from, to, taken = []) {
  for (let port = from; port <= to; port++) {
    if (taken.includes(port)) continue;
    const free = await new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free port between ${from} and ${to}`);
}

/**
 * A Node child process whose output is kept (the last lines only) to explain a failure, with an
 * optional IPC channel to the service probe (`request(type, payload)`).
 */
class ChildService {
  constructor(name, args, env, { ipc = false, cwd } = {}) {
    this.name = name;
    this.output = [];
    this.pending = new Map();
    this.nextId = 1;
    this.child = spawn(process.execPath, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
    });
    const keep = (chunk) => {
      this.output.push(...chunk.toString().split('\n').filter(Boolean));
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    this.child.stdout.on('data', keep);
    this.child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    // Never outlive the bench, even when it dies without cleaning up.
    const killOnExit = () => this.child.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.exited.then(() => process.removeListener('exit', killOnExit));
    this.child.on('message', ({ id, result, error }) => {
      const waiter = this.pending.get(id);
      if (!waiter) return;
      this.pending.delete(id);
      if (error) waiter.reject(new Error(`${this.name} probe: ${error}`));
      else waiter.resolve(result);
    });
  }

  get pid() {
    return this.child.pid;
  }

  /** CPU time (user + system, all threads) the process has used so far, from /proc; null elsewhere. */
  cpuSeconds() {
    try {
      const fields = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    } catch {
      return null;
    }
  }

  request(type, payload = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...payload, id, type });
    });
  }

  /** Resolves once `url` answers 200; fails early if the process dies. */
  async waitUntilServing(url, timeoutMs = 60000) {
    const deadline = Date.now() + timeoutMs;
    let died = false;
    this.exited.then(() => (died = true));
    while (Date.now() < deadline && !died) {
      try {
        const response = await fetch(url);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(
      `${this.name} did not start (${died ? 'it exited' : 'timed out'}). Last output:\n${this.output.slice(-30).join('\n')}`,
    );
  }

  /** SIGTERM (graceful: the service flushes its usage buffer), SIGKILL after `graceMs`. */
  async stop(graceMs = 15000) {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { ChildService, findFreePort, sleep };
