import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import { RedisConnection } from '../redis/redis-connection';
import { TcpProxy } from '../../test/support/tcp-proxy';
import { FailoverRateLimitStore, REDIS_RETRY_INTERVAL_MS } from './failover-rate-limit.store';

/** Nothing listens there (6390-6399 are this suite's own ports). */
const UNUSED_PORT = 6393;
const minuteOf3 = [{ name: 'minute', seconds: 60, limit: 3 }];

/** Connects, without waiting when nothing answers (node-redis keeps retrying in the background). */
const configFor = (port: number) =>
  loadConfig({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_COMMAND_TIMEOUT_MS: '100', REDIS_KEY_PREFIX: 'tt:unit:' });

async function connectTo(port: number, wait = true): Promise<RedisConnection> {
  const connection = RedisConnection.create(configFor(port));
  const connecting = connection.connect(2000);
  if (wait) await connecting;
  return connection;
}

describe('Rate-limit counters when Redis fails', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  it('counts in memory, with the same limits, when Redis is unreachable, and says so once', async () => {
    const connection = await connectTo(UNUSED_PORT, false);
    const storage = new FailoverRateLimitStore(connection, configFor(UNUSED_PORT));
    try {
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await storage.hit('key', minuteOf3));
      expect(results.map((result) => result.allowed)).toEqual([true, true, true, false, false]);
      const fallbackLogs = warn.mock.calls.filter(([message]) =>
        String(message).startsWith('Rate limits counted per instance in memory'),
      );
      expect(fallbackLogs).toHaveLength(1);
      expect(connection.isUp).toBe(false);
    } finally {
      storage.onModuleDestroy();
      connection.client.destroy();
    }
  });

  (process.env.REDIS_URL ? it : it.skip)(
    'gives up on a hanging Redis after the command timeout, waits for it no more, and returns to it',
    async () => {
      const redisUrl = new URL(process.env.REDIS_URL!);
      const proxy = await TcpProxy.start(redisUrl.hostname, Number(redisUrl.port || 6379));
      const connection = await connectTo(proxy.port);
      const storage = new FailoverRateLimitStore(connection, configFor(proxy.port));
      const bucket = `hang-${Date.now()}`;
      const timed = async () => {
        const started = Date.now();
        const result = await storage.hit(bucket, minuteOf3);
        return { ms: Date.now() - started, count: result.counts[0] };
      };
      try {
        expect((await timed()).count).toBe(1);
        proxy.freeze();
        const onTimeout = await timed();
        expect(onTimeout.count).toBe(1);
        expect(onTimeout.ms).toBeGreaterThanOrEqual(90);
        expect(onTimeout.ms).toBeLessThan(1000);
        const whileDown = await timed();
        expect(whileDown).toMatchObject({ count: 2 });
        expect(whileDown.ms).toBeLessThan(50);
        proxy.thaw();
        await new Promise((resolve) => setTimeout(resolve, REDIS_RETRY_INTERVAL_MS + 50));
        // Back on Redis: 1 before the hang, 1 for the request that timed out (Redis ran it once it woke up), this one.
        expect((await timed()).count).toBe(3);
      } finally {
        storage.onModuleDestroy();
        await connection.client
          .del(`tt:unit:rl:{${bucket}}:minute:${Math.floor(Date.now() / 60_000) * 60}`)
          .catch(() => undefined);
        await connection.close();
        await proxy.close();
      }
    },
  );
});
