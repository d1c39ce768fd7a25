import { AddressInfo, createServer, connect, Server, Socket } from 'node:net';

/** A TCP proxy that plays a database outage: `cut()` kills every connection and refuses new ones until `restore()`. */
export class OutageProxy {
  private readonly sockets = new Set<Socket>();
  private up = true;

  private constructor(private readonly server: Server) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<OutageProxy> {
    const server = createServer();
    const proxy = new OutageProxy(server);
    server.on('connection', (client) => proxy.accept(client, targetPort, targetHost));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  cut(): void {
    this.up = false;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.up = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket, targetPort: number, targetHost: string): void {
    if (!this.up) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ]) {
      this.sockets.add(socket);
      socket.pipe(other);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        this.sockets.delete(socket);
        other.destroy();
      });
    }
  }
}
