import { loadConfig } from '../config/app-config';
import { RateLimiter } from './rate-limiter.service';
import { FailoverRateLimitStore } from './failover-rate-limit.store';

const at = (iso: string): number => Date.parse(iso);

describe('Per-key rate-limit decisions over three windows', () => {
  let storage: FailoverRateLimitStore;
  let limiter: RateLimiter;
  beforeEach(() => {
    storage = new FailoverRateLimitStore(null, loadConfig({}));
    limiter = new RateLimiter(storage);
  });
  afterEach(() => storage.onModuleDestroy());

  it('reports every window and the headers of the tightest one', async () => {
    const decision = await limiter.consume(
      'key',
      { minute: 60, hour: 1000, day: 10000 },
      at('2025-09-27T10:04:37.250Z'),
    );
    expect(decision).toEqual({
      allowed: true,
      windows: {
        minute: { window: 'minute', limit: 60, remaining: 59, resetAt: '2025-09-27T10:05:00Z', secondsToReset: 23 },
        hour: { window: 'hour', limit: 1000, remaining: 999, resetAt: '2025-09-27T11:00:00Z', secondsToReset: 3323 },
        day: { window: 'day', limit: 10000, remaining: 9999, resetAt: '2025-09-28T00:00:00Z', secondsToReset: 50123 },
      },
      tightest: decision.windows.minute,
      refusedBy: undefined,
      retryAfterSeconds: 0,
      headers: {
        'X-RateLimit-Limit': '60',
        'X-RateLimit-Remaining': '59',
        'X-RateLimit-Reset': '2025-09-27T10:05:00Z',
        'RateLimit-Policy': '"minute";q=60;w=60, "hour";q=1000;w=3600, "day";q=10000;w=86400',
        RateLimit: '"minute";r=59;t=23',
      },
    });
  });

  it('takes the window with the fewest requests left, the shortest on a tie', async () => {
    const limits = { minute: 5, hour: 6, day: 100 };
    await limiter.consume('a', limits, at('2025-09-27T10:04:00Z'));
    const second = await limiter.consume('a', limits, at('2025-09-27T10:04:00Z'));
    expect(second.tightest).toMatchObject({ window: 'minute', remaining: 3 });
    const hourTighter = await limiter.consume('a', limits, at('2025-09-27T10:05:00Z'));
    expect(hourTighter.tightest).toMatchObject({ window: 'hour', remaining: 3 });
    expect(hourTighter.headers).toMatchObject({
      'X-RateLimit-Limit': '6',
      'X-RateLimit-Remaining': '3',
      RateLimit: '"hour";r=3;t=3300',
    });

    await limiter.consume('b', limits, at('2025-09-27T10:04:00Z'));
    const tie = await limiter.consume('b', limits, at('2025-09-27T10:05:00Z'));
    expect(tie.tightest).toMatchObject({ window: 'minute', remaining: 4 });
    expect(tie.windows.hour.remaining).toBe(4);
  });

  it('refuses without counting, and names the window a retry has to wait for', async () => {
    const limits = { minute: 2, hour: 2, day: 100 };
    const now = at('2025-09-27T10:04:59.999Z');
    await limiter.consume('key', limits, now);
    await limiter.consume('key', limits, now);
    const refused = await limiter.consume('key', limits, now);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 3301 });
    expect(refused.refusedBy).toMatchObject({ window: 'hour', remaining: 0, resetAt: '2025-09-27T11:00:00Z' });
    expect(refused.tightest.window).toBe('minute');
    expect(refused.windows.day.remaining).toBe(98);
  });

  it('asks for at least one second at 59.999 s', async () => {
    const limits = { minute: 1, hour: 10, day: 100 };
    await limiter.consume('key', limits, at('2025-09-27T10:04:59.999Z'));
    const refused = await limiter.consume('key', limits, at('2025-09-27T10:04:59.999Z'));
    expect(refused).toMatchObject({
      allowed: false,
      retryAfterSeconds: 1,
      refusedBy: { window: 'minute', resetAt: '2025-09-27T10:05:00Z' },
    });
    expect(refused.headers.RateLimit).toBe('"minute";r=0;t=1');
  });

  it('keeps buckets apart', async () => {
    const limits = { minute: 1, hour: 1, day: 1 };
    expect((await limiter.consume('a', limits)).allowed).toBe(true);
    expect((await limiter.consume('b', limits)).allowed).toBe(true);
    expect((await limiter.consume('a', limits)).allowed).toBe(false);
  });
});
