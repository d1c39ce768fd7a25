import { randomUUID } from 'node:crypto';
import TuneTrail, {
  APIConnectionError,
  AuthenticationError,
  ConflictError,
  isWellFormedApiKey,
  NotFoundError,
  PermissionDeniedError,
  TuneTrailManagement,
  ValidationError,
  type Scope,
  type Track,
} from 'tunetrail-sdk';
import { setPlan } from './support/accounts';
import { closedPortUrl, countingFetch, listenOnLoopback, SETUP_TIMEOUT_MS } from './support/sdk';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, TestApp } from './support/test-app';

/** The retried client's per-attempt timeout: its first attempt meets a frozen server, its second a busy one. */
const RETRIED_TIMEOUT_MS = 3000;
const PASSWORD = 'correct horse battery staple';
const TRACK_SCOPES: Scope[] = ['read:tracks', 'write:tracks', 'delete:tracks', 'read:recommendations'];
const PRO_SCOPES: Scope[] = [...TRACK_SCOPES, 'read:audio_features', 'write:audio_features', 'read:analytics'];
const TRACK_COUNT = 5;
const PAGE_SIZE = 2;
const KEY_MINUTE_LIMIT = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A key of the right shape whose last character breaks its checksum. */
const MISTYPED_KEY = (key: string): string => key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');

describe('Node SDK (tunetrail-sdk) against the running service', () => {
  let t: TestApp;
  let baseUrl: string;
  let management: TuneTrailManagement;
  let email: string;
  let client: TuneTrail;
  let keyId: string;

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listenOnLoopback(t);
    management = new TuneTrailManagement({ baseUrl });
    email = `sdk-${randomUUID()}@example.com`;
    const registered = await management.auth.register({ email, password: PASSWORD, name: 'SDK user' });
    await setPlan(t, registered.user.id, 'pro');
    const created = await management.apiKeys.create({
      name: 'sdk key',
      scopes: PRO_SCOPES,
      rate_limit_requests_per_minute: KEY_MINUTE_LIMIT,
    });
    keyId = created.id;
    client = new TuneTrail({ apiKey: created.api_key, baseUrl });
  }, SETUP_TIMEOUT_MS);
  afterAll(() => t.close());

  describe('management client (JWT routes)', () => {
    it('registers, logs in and reads the account with the token it keeps', async () => {
      const fresh = new TuneTrailManagement({ baseUrl });
      const login = await fresh.auth.login({ email, password: PASSWORD });
      expect(login.token_type).toBe('Bearer');
      const me = await fresh.auth.me();
      expect(me).toMatchObject({ email, name: 'SDK user', plan: 'pro' });

      const other = new TuneTrailManagement({ baseUrl, accessToken: login.access_token });
      expect((await other.auth.me()).id).toBe(me.id);
      other.setAccessToken(null);
      await expect(other.auth.me()).rejects.toMatchObject({ status: 401, error: 'Invalid or missing token' });
    });

    it('lists the plans', async () => {
      const plans = await management.plans.list();
      expect(plans.map((plan) => plan.id)).toEqual(['free', 'starter', 'pro', 'enterprise']);
    });

    it('creates, lists, gets, updates, rotates, revokes and deletes keys, and reads their usage', async () => {
      const created = await management.apiKeys.create({ name: 'to manage', scopes: ['read:tracks'] });
      expect(created.api_key).toMatch(/^tt_[0-9A-Za-z]{32}$/);
      expect(isWellFormedApiKey(created.api_key)).toBe(true);

      const listed = await management.apiKeys.list({ limit: 1 });
      expect(listed).toMatchObject({ total: 2, limit: 1, offset: 0 });
      expect(listed.data[0].id).toBe(created.id);
      const everyKey: string[] = [];
      for await (const key of listed) everyKey.push(key.id);
      expect(everyKey).toEqual([created.id, keyId]);

      expect((await management.apiKeys.get(created.id)).name).toBe('to manage');
      const renamed = await management.apiKeys.update(created.id, { name: 'renamed', is_active: false });
      expect(renamed).toMatchObject({ name: 'renamed', is_active: false });

      const rotated = await management.apiKeys.rotate(created.id, { grace_period_hours: 1 });
      expect(rotated).toMatchObject({ name: 'renamed', rotated_from: created.id });
      expect(rotated.api_key).not.toBe(created.api_key);

      const revoked = await management.apiKeys.revoke(rotated.id);
      expect(revoked.is_active).toBe(false);
      expect(revoked.revoked_at).not.toBeNull();

      const usage = await management.apiKeys.usage(keyId, { days: 7 });
      expect(usage).toMatchObject({ api_key_id: keyId });
      expect(typeof usage.total_requests).toBe('number');

      await expect(management.apiKeys.delete(rotated.id)).resolves.toBeUndefined();
      await expect(management.apiKeys.get(rotated.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('API-key client', () => {
    it('creates, reads, updates and deletes a track, with the API field names', async () => {
      const track = await client.tracks.create({ title: 'Blue', artist: 'Nova', duration_ms: 215_000, bpm: 124 });
      expect(track).toMatchObject({ title: 'Blue', artist: 'Nova', duration_ms: 215_000, bpm: 124 });
      expect(await client.tracks.get(track.id)).toEqual(track);
      const updated = await client.tracks.update(track.id, { title: 'Bluer' });
      expect(updated.title).toBe('Bluer');
      await expect(client.tracks.delete(track.id)).resolves.toBeUndefined();
      await expect(client.tracks.get(track.id)).rejects.toMatchObject({ status: 404, error: 'Not found' });
    });

    it('gives the first page from list and walks every page when iterated', async () => {
      const created: Track[] = [];
      for (let i = 0; i < TRACK_COUNT; i++) {
        created.push(await client.tracks.create({ title: `Paged ${i}`, artist: 'Pager', duration_ms: 1000 }));
      }
      const first = await client.tracks.list({ q: 'Pager', limit: PAGE_SIZE });
      expect(first).toMatchObject({ total: TRACK_COUNT, limit: PAGE_SIZE, offset: 0 });
      expect(first.data).toHaveLength(PAGE_SIZE);
      expect(JSON.parse(JSON.stringify(first))).toEqual({
        data: first.data,
        total: TRACK_COUNT,
        limit: PAGE_SIZE,
        offset: 0,
      });

      const walked: string[] = [];
      for await (const track of first) walked.push(track.id);
      expect(walked).toEqual(created.map((track) => track.id).reverse());
      expect((await first.getNextPage()).offset).toBe(PAGE_SIZE);
    });

    it('sets and reads audio features, and recommends similar tracks', async () => {
      const seed = await client.tracks.create({ title: 'Seed', artist: 'Rec', duration_ms: 1000, bpm: 120 });
      const near = await client.tracks.create({ title: 'Near', artist: 'Rec', duration_ms: 1000, bpm: 121 });
      const features = await client.tracks.audioFeatures.set(seed.id, { bpm: 120, energy: 0.8, danceability: 0.7 });
      expect(features).toMatchObject({ track_id: seed.id, bpm: 120, energy: 0.8, danceability: 0.7, valence: null });
      expect(await client.tracks.audioFeatures.get(seed.id)).toEqual(features);

      const recommended = await client.recommendations.list({ seed_track_id: seed.id, limit: 50 });
      expect(recommended.seed_track_id).toBe(seed.id);
      expect(recommended.data.map((track) => track.id)).toContain(near.id);
      expect(recommended.data.map((track) => track.id)).not.toContain(seed.id);
    });

    it('reads whoami and the account analytics', async () => {
      const me = await client.whoami();
      expect(me).toMatchObject({ api_key_id: keyId, plan: 'pro', rate_limits: { minute: KEY_MINUTE_LIMIT } });
      const usage = await client.analytics.usage({ days: 1 });
      expect(usage.by_key.map((key) => key.api_key_id)).toContain(keyId);
    });

    it('keeps the rate-limit headers and the request id of the last answer', async () => {
      await client.whoami();
      const before = client.lastRateLimit!.remaining;
      await client.whoami();
      expect(client.lastRateLimit).toMatchObject({ limit: KEY_MINUTE_LIMIT, remaining: before - 1 });
      expect(client.lastRateLimit!.reset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(client.lastRateLimit!.policy).toContain('"minute";q=100;w=60');
      expect(client.lastRequestId).toMatch(UUID);
    });

    it('defaults apiKey and baseUrl to TUNETRAIL_API_KEY and TUNETRAIL_API_URL', async () => {
      const created = await management.apiKeys.create({ name: 'from env', scopes: ['read:tracks'] });
      const saved = { key: process.env.TUNETRAIL_API_KEY, url: process.env.TUNETRAIL_API_URL };
      process.env.TUNETRAIL_API_KEY = created.api_key;
      process.env.TUNETRAIL_API_URL = baseUrl;
      try {
        const fromEnv = new TuneTrail();
        expect(fromEnv.baseUrl).toBe(baseUrl);
        expect((await fromEnv.whoami()).api_key_id).toBe(created.id);
      } finally {
        for (const [name, value] of [
          ['TUNETRAIL_API_KEY', saved.key],
          ['TUNETRAIL_API_URL', saved.url],
        ] as const) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
      expect(new TuneTrail({ apiKey: created.api_key }).baseUrl).toBe('https://api.tunetrail.dev');
    });
  });

  describe('typed errors, each with status, error, reason and the request id', () => {
    it('ValidationError (400) with the field details', async () => {
      const error = await client.tracks.create({ title: '', artist: 'A', duration_ms: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ status: 400, error: 'Validation failed' });
      expect((error as ValidationError).details.map((detail) => detail.field)).toContain('title');
      expect((error as ValidationError).requestId).toMatch(UUID);
    });

    it('AuthenticationError (401) for a revoked key, with its reason', async () => {
      const created = await management.apiKeys.create({ name: 'revoked', scopes: ['read:tracks'] });
      await management.apiKeys.revoke(created.id);
      const revoked = new TuneTrail({ apiKey: created.api_key, baseUrl });
      const error = await revoked.tracks.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401, error: 'Invalid API key', reason: 'revoked' });
      expect((error as AuthenticationError).requestId).toBe(revoked.lastRequestId);
    });

    it('PermissionDeniedError (403) for a scope the key lacks', async () => {
      const created = await management.apiKeys.create({ name: 'read only', scopes: ['read:tracks'] });
      const readOnly = new TuneTrail({ apiKey: created.api_key, baseUrl });
      const error = await readOnly.tracks.create({ title: 'x', artist: 'y', duration_ms: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect(error).toMatchObject({ status: 403, error: 'Insufficient permissions', reason: 'missing_scope' });
      expect((error as PermissionDeniedError).requiredScopes).toEqual(['write:tracks']);
    });

    it('NotFoundError (404) for an unknown id', async () => {
      const error = await client.tracks.get(randomUUID()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ status: 404, error: 'Not found', reason: null });
    });

    it('ConflictError (409) for a taken email and for reactivating a revoked key', async () => {
      const other = new TuneTrailManagement({ baseUrl });
      await expect(other.auth.register({ email, password: PASSWORD })).rejects.toBeInstanceOf(ConflictError);
      const created = await management.apiKeys.create({ name: 'gone', scopes: ['read:tracks'] });
      await management.apiKeys.revoke(created.id);
      const error = await management.apiKeys.update(created.id, { is_active: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ status: 409 });
    });

    it('a malformed or missing key fails locally (AuthenticationError, reason malformed/missing) without a request', async () => {
      const created = await management.apiKeys.create({ name: 'to mistype', scopes: ['read:tracks'] });
      for (const [apiKey, reason] of [
        [MISTYPED_KEY(created.api_key), 'malformed'],
        ['tt_short', 'malformed'],
        ['sk_live_0123456789', 'malformed'],
        ['', 'missing'],
      ]) {
        const counted = countingFetch();
        const local = new TuneTrail({ apiKey, baseUrl, fetch: counted });
        const error = await local.tracks.list().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AuthenticationError);
        expect(error).toMatchObject({ status: null, error: 'Invalid API key', reason });
        expect(counted.calls).toBe(0);
      }
    });

    it('APIConnectionError when nothing answers: GET retried maxRetries times, POST sent once', async () => {
      const nowhere = await closedPortUrl();
      const counted = countingFetch();
      const created = await management.apiKeys.create({ name: 'offline', scopes: TRACK_SCOPES });
      const get = new TuneTrail({ apiKey: created.api_key, baseUrl: nowhere, maxRetries: 2, fetch: counted });
      const error = await get.tracks.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error).toMatchObject({ status: null, timedOut: false });
      expect((error as APIConnectionError).requestId).toMatch(UUID);
      expect(counted.calls).toBe(3);

      const posted = countingFetch();
      const post = new TuneTrail({ apiKey: created.api_key, baseUrl: nowhere, maxRetries: 2, fetch: posted });
      await expect(post.tracks.create({ title: 'x', artist: 'y', duration_ms: 1 })).rejects.toBeInstanceOf(
        APIConnectionError,
      );
      expect(posted.calls).toBe(1);
    });

    it('a request past timeoutMs is APIConnectionError (timedOut), and a GET is retried and succeeds', async () => {
      const created = await management.apiKeys.create({ name: 'slow', scopes: TRACK_SCOPES });
      const { port } = new URL(baseUrl);
      const proxy = await TcpProxy.start('127.0.0.1', Number(port));
      try {
        proxy.freeze();
        const stuck = new TuneTrail({
          apiKey: created.api_key,
          baseUrl: `http://127.0.0.1:${proxy.port}`,
          timeoutMs: 300,
        });
        const post = await stuck.tracks.create({ title: 'x', artist: 'y', duration_ms: 1 }).catch((e: unknown) => e);
        expect(post).toBeInstanceOf(APIConnectionError);
        expect(post).toMatchObject({ timedOut: true });

        // The second attempt finds the server answering again.
        const counted = countingFetch((call) => call === 2 && proxy.thaw());
        const retried = new TuneTrail({
          apiKey: created.api_key,
          baseUrl: `http://127.0.0.1:${proxy.port}`,
          // Room for the second attempt on a loaded machine: the server first answers what the thaw delivers.
          timeoutMs: RETRIED_TIMEOUT_MS,
          fetch: counted,
        });
        const page = await retried.tracks.list();
        expect(page.total).toBeGreaterThanOrEqual(0);
        expect(counted.calls).toBe(2);
      } finally {
        await proxy.close();
      }
    });
  });
});
