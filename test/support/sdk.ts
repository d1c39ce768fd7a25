import { type AddressInfo, createServer } from 'node:net';
import type { TestApp } from './test-app';

/** Starting an app and registering accounts (argon2) can take over jest's 60 s on a busy 2-core machine. */
export const SETUP_TIMEOUT_MS = 180_000;

/** Serves the test app on a loopback port (the SDKs speak real HTTP) and returns its base URL. */
export async function listenOnLoopback(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** The global fetch, counting the requests an SDK client really sends (and running `onCall` before each). */
export function countingFetch(onCall?: (call: number) => void): typeof fetch & { calls: number } {
  const counted = Object.assign(
    (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      counted.calls += 1;
      onCall?.(counted.calls);
      return fetch(input, init);
    },
    { calls: 0 },
  );
  return counted;
}

/** A loopback address where nothing listens (a port just released). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
