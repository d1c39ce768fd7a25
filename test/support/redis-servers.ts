import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A `redis-server` of the test's own, on a loopback port the test names; never the shared one. */
export class RedisServerProcess {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'tt-redis-'));

  constructor(
    readonly port: number,
    private readonly extraArgs: string[] = [],
  ) {}

  async start(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      this.dir,
      ...this.extraArgs,
    ];
    this.process = spawn('redis-server', args, { stdio: 'ignore' });
    await waitFor(async () => (await this.cli('PING')) === 'PONG', `redis-server on port ${this.port}`);
  }

  /** Kills it outright, as a crash would. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Stops it without closing its connections (SIGSTOP): a hung server. */
  freeze(): void {
    this.process?.kill('SIGSTOP');
  }

  thaw(): void {
    this.process?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.thaw();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs one redis-cli command against this server; its output, trimmed (empty when it failed). */
  async cli(...args: string[]): Promise<string> {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(this.port), ...args]);
      return stdout.trim();
    } catch {
      return '';
    }
  }
}

/** A 3-master Redis Cluster (no replicas) on the given loopback ports, made with `redis-cli --cluster create`. */
export class RedisClusterProcesses {
  readonly nodes: RedisServerProcess[];

  constructor(ports: number[]) {
    this.nodes = ports.map(
      (port) =>
        new RedisServerProcess(port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '2000',
        ]),
    );
  }

  /** `REDIS_CLUSTER_NODES` for it. */
  get nodeList(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  async start(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.start()));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...this.nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const node of this.nodes) {
      await waitFor(
        async () => (await node.cli('CLUSTER', 'INFO')).includes('cluster_state:ok'),
        `cluster state on ${node.port}`,
      );
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
