import TuneTrail, { RateLimitError, TuneTrailManagement } from 'tunetrail-sdk';
import { awaitRoomInMinute } from './support/rate-limit';
import { countingFetch, listenOnLoopback, SETUP_TIMEOUT_MS } from './support/sdk';
import { startTestApp, TestApp } from './support/test-app';

/** One request a minute: the second in a minute is refused. */
const MINUTE_LIMIT = 1;
/** How much of the minute is left when the retried request starts, so the real wait stays short. */
const LEFT_IN_MINUTE_MS = 4_000;
const RETRY_TEST_TIMEOUT_MS = 150_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until exactly `leftMs` remain in a UTC minute (this one or the next). */
const untilLeftInMinute = (leftMs: number) => sleep((60_000 - (Date.now() % 60_000) - leftMs + 60_000) % 60_000);

describe('Node SDK: a 429 is waited out and retried', () => {
  let t: TestApp;
  let baseUrl: string;
  let management: TuneTrailManagement;
  const limitedKey = async () =>
    (
      await management.apiKeys.create({
        name: 'one a minute',
        scopes: ['read:tracks', 'write:tracks'],
        rate_limit_requests_per_minute: MINUTE_LIMIT,
      })
    ).api_key;

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listenOnLoopback(t);
    management = new TuneTrailManagement({ baseUrl });
    await management.auth.register({ email: `sdk-429-${Date.now()}@example.com`, password: 'correct horse battery' });
  }, SETUP_TIMEOUT_MS);
  afterAll(() => t.close());

  it('throws RateLimitError (retryAfter, window) when retries are off or the wait exceeds maxRetryWaitMs', async () => {
    await awaitRoomInMinute();
    const apiKey = await limitedKey();
    await new TuneTrail({ apiKey, baseUrl }).whoami();

    for (const options of [{ maxRetries: 0 }, { maxRetries: 2, maxRetryWaitMs: 500 }]) {
      const counted = countingFetch();
      const client = new TuneTrail({ apiKey, baseUrl, fetch: counted, ...options });
      const error = await client.tracks.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status: 429, error: 'Rate limit exceeded', window: 'minute' });
      const { retryAfter } = error as RateLimitError;
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(client.lastRateLimit).toMatchObject({ limit: MINUTE_LIMIT, remaining: 0 });
      expect(counted.calls).toBe(1);
    }
  });

  it(
    'retries a refused POST after Retry-After and succeeds in the next window',
    async () => {
      const apiKey = await limitedKey();
      await untilLeftInMinute(LEFT_IN_MINUTE_MS);
      const counted = countingFetch();
      const client = new TuneTrail({ apiKey, baseUrl, fetch: counted });
      await client.whoami();

      const started = Date.now();
      const track = await client.tracks.create({ title: 'After the window', artist: 'Patient', duration_ms: 1000 });
      expect(track.title).toBe('After the window');
      expect(counted.calls).toBe(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(client.lastRateLimit).toMatchObject({ limit: MINUTE_LIMIT, remaining: 0 });
    },
    RETRY_TEST_TIMEOUT_MS,
  );
});
