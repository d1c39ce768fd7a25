import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { createTestDatabase, startTestApp, TestApp, TestDatabase } from './test-app';

/**
 * A loopback TCP proxy a test controls, to play a failing server behind it: `freeze` holds requests
 * back (as with a stopped process) and `thaw` delivers them; `cut` kills every connection and
 * refuses new ones (as with a server that is down) until `restore`.
 */
export class TcpProxy {
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; held: Buffer[] }>();
  private frozen = false;
  private down = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new TcpProxy(server, (server.address() as AddressInfo).port);
    server.on('connection', (client: Socket) => proxy.accept(client, targetHost, targetPort));
    return proxy;
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const pair of this.pairs) pair.held.splice(0).forEach((chunk) => pair.upstream.write(chunk));
  }

  cut(): void {
    this.down = true;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket, host: string, port: number): void {
    if (this.down) {
      client.destroy();
      return;
    }
    const upstream = connect(port, host);
    const pair = { client, upstream, held: [] as Buffer[] };
    this.pairs.add(pair);
    client.on('data', (chunk: Buffer) => (this.frozen ? pair.held.push(chunk) : upstream.write(chunk)));
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }
}

/** A fresh database, a {@link TcpProxy} in front of it, and the app reaching it only through the proxy. */
export interface AppBehindProxy {
  t: TestApp;
  proxy: TcpProxy;
  database: TestDatabase;
  /** Lets the proxy through again, then closes the app, the proxy and drops the database. */
  close(): Promise<void>;
}

/** Starts an {@link AppBehindProxy} (real PostgreSQL only), with `env` on top of the test defaults. */
export async function startTestAppBehindProxy(env: Record<string, string> = {}): Promise<AppBehindProxy> {
  const database = await createTestDatabase();
  const proxy = await TcpProxy.start('127.0.0.1', Number(new URL(database.url!).port || 5432));
  const viaProxy = new URL(database.url!);
  viaProxy.port = String(proxy.port);
  const t = await startTestApp({ database: { url: viaProxy.toString(), drop: () => Promise.resolve() }, env });
  return {
    t,
    proxy,
    database,
    close: async () => {
      proxy.thaw();
      proxy.restore();
      await t.close();
      await proxy.close();
      await database.drop();
    },
  };
}
