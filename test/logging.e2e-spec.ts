import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { registerUser } from './support/accounts';
import { captureOutput } from './support/output';
import { LOCK_FILE } from '../src/database/embedded-database';
import { AppBehindProxy, startTestAppBehindProxy } from './support/tcp-proxy';
import { describeWithRealPostgres } from './support/test-app';

const OUTAGE_REQUESTS = 200;
const OUTAGE_LINE = /Backing store unavailable, answering 503/;
const STACK_FRAME = /\n\s+at /;
const LOCKED = /The embedded database in .+ is in use by another process \(pid \d+\)/;

/** The non-empty lines of some output, each parsed as one JSON log record (or thrown on). */
const jsonLines = (output: string): { level: number; msg: string }[] =>
  output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { level: number; msg: string });

describeWithRealPostgres('Logging: one JSON format, an outage logged once, not per request', () => {
  it(`logs PostgreSQL refusing connections once over ${OUTAGE_REQUESTS} failed requests, as one JSON line without a stack`, async () => {
    let statuses: number[] = [];
    let behind: AppBehindProxy | undefined;
    const output = await captureOutput(async () => {
      behind = await startTestAppBehindProxy({ LOG_LEVEL: 'info' });
      try {
        const { token } = await registerUser(behind.t.http);
        behind.proxy.cut();
        statuses = await Promise.all(
          Array.from(
            { length: OUTAGE_REQUESTS },
            async () => (await request(behind!.t.http).get('/auth/me').set('Authorization', `Bearer ${token}`)).status,
          ),
        );
      } finally {
        await behind?.close();
      }
    });
    expect(statuses).toEqual(Array(OUTAGE_REQUESTS).fill(503));
    const records = jsonLines(output);
    expect(records.filter((record) => OUTAGE_LINE.test(record.msg))).toHaveLength(1);
    expect(output).not.toMatch(STACK_FRAME);
  }, 60_000);
});

describe('Logging: a second process on the same data directory', () => {
  let dataDir: string;

  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'tt-lock-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is refused with one line naming the holder, no stack trace, and exit code 1', async () => {
    // The holder: this test's own process, running and not the one started below.
    writeFileSync(join(dataDir, LOCK_FILE), String(process.pid));
    const second = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: `${__dirname}/..`,
      env: { ...process.env, DATABASE_URL: undefined, REDIS_URL: undefined, DATA_DIR: dataDir, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    second.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    second.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => second.on('close', resolve));
    const refusal = output.split('\n').filter((line) => LOCKED.test(line));
    expect(code).toBe(1);
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toContain(`pid ${process.pid}`);
    expect(output).not.toMatch(STACK_FRAME);
  }, 90_000);
});
