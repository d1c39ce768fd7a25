import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { IN_MEMORY_DATA_DIR } from '../../src/database/embedded-database';
import { TEST_API_KEY_PEPPER, TEST_AUTH_RATE_LIMIT_PER_MINUTE, TEST_JWT_SECRET } from './test-app';
import { eventually } from './usage';

/** A free loopback port among `first`..`last` (a range a test file reserves for itself). */
export async function freePort(first: number, last: number): Promise<number> {
  for (let port = first; port <= last; port++) {
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
  throw new Error(`no free port in ${first}-${last}`);
}

/** The service as a process of its own (`src/main.ts`), so a test can signal or kill it. */
export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  /** What it wrote on stderr so far. */
  stderr(): string;
}

/** A ts-node boot on a loaded 2-core machine can take this long. */
const SERVICE_BOOT_TIMEOUT_MS = 45_000;

/** Starts the service on `port` with the test defaults plus `env`, and resolves once `/health` answers 200. */
export async function startServiceProcess(
  port: number,
  env: Record<string, string | undefined>,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: `${__dirname}/../..`,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      JWT_SECRET: TEST_JWT_SECRET,
      API_KEY_PEPPER: TEST_API_KEY_PEPPER,
      // Nothing written to the working tree; the secrets above are set.
      DATA_DIR: IN_MEMORY_DATA_DIR,
      AUTH_RATE_LIMIT_PER_MINUTE: String(TEST_AUTH_RATE_LIMIT_PER_MINUTE),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const health = () =>
    fetch(`http://127.0.0.1:${port}/health`).then(
      (res) => res.status,
      () => 0,
    );
  if ((await eventually(health, (status) => status === 200, SERVICE_BOOT_TIMEOUT_MS)) !== 200) {
    child.kill('SIGKILL');
    throw new Error(`the service did not start on port ${port}: ${stderr}`);
  }
  return { child, port, stderr: () => stderr };
}
