import type { FastifyRequest } from 'fastify';
import type { Repository } from 'typeorm';
import { DomainException } from '../common/errors/domain.exception';
import type { AppConfig } from '../config/app-config';
import type { PlansService } from '../plans/plans.service';
import { InProcessEventBus } from '../redis/event-bus';
import { USER_CHANGED_CHANNEL } from '../users/user-events';
import { API_KEY_CHANGED_CHANNEL } from './api-key-events';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyGenerator } from './api-key-generator';
import { ApiKeyHasher } from './api-key-hasher';
import type { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';

const config = { apiKeyPepper: 'unit-pepper', apiKeyCacheTtlMs: 60_000, apiKeyCacheMaxEntries: 100 } as AppConfig;
const plans = {
  scopesOf: () => new Set(['read:tracks']),
  limitsFor: () => ({ minute: 10, hour: 100, day: 1000 }),
  hasCustomLimits: () => false,
} as unknown as PlansService;

function keyRow(overrides: Record<string, unknown> = {}) {
  return {
    id: 'key-1',
    user_id: 'user-1',
    key_prefix: 'tt_12345678',
    name: 'k',
    environment: 'development',
    scopes: ['read:tracks'],
    minute: 5,
    hour: null,
    day: 5000,
    allowed_ips: [],
    is_active: true,
    expires_at: null,
    revoked_at: null,
    plan_id: 'free',
    owner_minute: null,
    owner_hour: null,
    owner_day: null,
    ...overrides,
  };
}

describe('API-key authentication: checks in order, cache and eviction', () => {
  const generator = new ApiKeyGenerator();
  let rows: Record<string, unknown>[];
  let queries: number;
  let events: InProcessEventBus;
  let authenticator: ApiKeyAuthenticator;

  const request = (authorization?: string, ip = '127.0.0.1') =>
    ({ headers: { authorization }, ip }) as unknown as FastifyRequest;
  const reasonOf = async (authorization?: string): Promise<unknown> => {
    try {
      await authenticator.authenticate(request(authorization));
      return 'ok';
    } catch (error) {
      return (error as DomainException).body();
    }
  };

  beforeEach(async () => {
    rows = [keyRow()];
    queries = 0;
    events = new InProcessEventBus();
    const table = { query: () => (queries++, Promise.resolve(rows)) } as unknown as Repository<ApiKey>;
    const keys = new ApiKeysRepository(table);
    authenticator = new ApiKeyAuthenticator(config, keys, generator, new ApiKeyHasher(config), plans, events);
    await authenticator.onModuleInit();
  });

  it('refuses a missing or malformed credential without a database look-up', async () => {
    expect(await reasonOf(undefined)).toEqual({ error: 'Invalid API key', reason: 'missing' });
    expect(await reasonOf('Token abc')).toEqual({ error: 'Invalid API key', reason: 'missing' });
    expect(await reasonOf('Bearer tt_nope')).toEqual({ error: 'Invalid API key', reason: 'malformed' });
    expect(queries).toBe(0);
  });

  it.each([
    ['no such key', [], 'unknown'],
    ['a revoked (and so inactive) key', [keyRow({ revoked_at: new Date(), is_active: false })], 'revoked'],
    ['a suspended, expired key', [keyRow({ is_active: false, expires_at: new Date(0) })], 'inactive'],
    ['an expired key', [keyRow({ expires_at: new Date(Date.now() - 1) })], 'expired'],
  ])('answers %s with reason %s', async (_case, found, reason) => {
    rows = found;
    expect(await reasonOf(`Bearer ${generator.generate()}`)).toEqual({ error: 'Invalid API key', reason });
  });

  it('attaches the key with limits no higher than the plan, then serves it from the cache with no query', async () => {
    const key = generator.generate();
    const req = request(`Bearer ${key}`);
    const apiKey = await authenticator.authenticate(req);
    expect(req.apiKey).toBe(apiKey);
    expect(apiKey.limits).toEqual({ minute: 5, hour: 100, day: 1000 });
    expect([...apiKey.scopes]).toEqual(['read:tracks']);
    for (let i = 0; i < 5; i++) expect(await authenticator.authenticate(request(`Bearer ${key}`))).toBe(apiKey);
    expect(queries).toBe(1);
  });

  it('serves a key whose TTL ran out while one background look-up reloads it, and forgets one that is gone', async () => {
    const clock = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      const key = `Bearer ${generator.generate()}`;
      const first = await authenticator.authenticate(request(key));
      clock.mockReturnValue(1_000_000 + config.apiKeyCacheTtlMs);
      rows = [keyRow({ name: 'renamed' })];
      const stale = await Promise.all([1, 2, 3].map(() => authenticator.authenticate(request(key))));
      expect(stale).toEqual([first, first, first]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(queries).toBe(2);
      expect((await authenticator.authenticate(request(key))).name).toBe('renamed');

      clock.mockReturnValue(1_000_000 + 2 * config.apiKeyCacheTtlMs);
      rows = [];
      expect((await authenticator.authenticate(request(key))).name).toBe('renamed');
      await new Promise((resolve) => setImmediate(resolve));
      expect(await reasonOf(key)).toEqual({ error: 'Invalid API key', reason: 'unknown' });
    } finally {
      clock.mockRestore();
    }
  });

  it('forgets a key when it changes and a user’s keys when the user changes', async () => {
    const key = `Bearer ${generator.generate()}`;
    await authenticator.authenticate(request(key));
    rows = [keyRow({ revoked_at: new Date(), is_active: false })];
    await events.publish(API_KEY_CHANGED_CHANNEL, 'key-1');
    expect(await reasonOf(key)).toMatchObject({ reason: 'revoked' });

    rows = [keyRow()];
    await events.publish(API_KEY_CHANGED_CHANNEL, 'key-1');
    await authenticator.authenticate(request(key));
    rows = [keyRow({ is_active: false })];
    await events.publish(USER_CHANGED_CHANNEL, 'user-1');
    expect(await reasonOf(key)).toMatchObject({ reason: 'inactive' });
  });

  it('attaches the key, then refuses an address outside allowed_ips with 403', async () => {
    rows = [keyRow({ allowed_ips: ['10.0.0.0/8'] })];
    const req = request(`Bearer ${generator.generate()}`, '::ffff:192.0.2.1');
    await expect(authenticator.authenticate(req)).rejects.toMatchObject({
      status: 403,
      message: 'IP address not allowed',
    });
    expect(req.apiKey?.id).toBe('key-1');
  });
});
