import type { AuthenticatedApiKey } from './authenticated-api-key';
import { VerifiedApiKey, VerifiedKeyCache } from './verified-key-cache';

const verified = (id: string, userId = 'user-1'): VerifiedApiKey => ({
  apiKey: { id, userId } as AuthenticatedApiKey,
  revoked: false,
  active: true,
  expiresAtMs: Infinity,
  ipAllowlist: null,
});

describe(VerifiedKeyCache.name, () => {
  it('returns what was set, fresh until the TTL passes, then stale for one more TTL, then nothing', () => {
    const cache = new VerifiedKeyCache(10, 1000);
    const value = verified('k1');
    cache.set('h1', value, cache.ticket(), 0);
    expect(cache.get('h1', 999)).toEqual({ value, freshUntil: 1000 });
    expect(cache.get('h1', 1999)).toEqual({ value, freshUntil: 1000 });
    expect(cache.get('h1', 2000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets an entry on demand', () => {
    const cache = new VerifiedKeyCache(10, 1000);
    cache.set('h1', verified('k1'), cache.ticket(), 0);
    cache.forget('h1');
    cache.forget('h2');
    expect(cache.get('h1', 1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the least recently used entry beyond its bound', () => {
    const cache = new VerifiedKeyCache(2, 1000);
    cache.set('h1', verified('k1'), cache.ticket(), 0);
    cache.set('h2', verified('k2'), cache.ticket(), 0);
    cache.get('h1', 1);
    cache.set('h3', verified('k3'), cache.ticket(), 1);
    expect(cache.get('h2', 2)).toBeUndefined();
    expect(cache.get('h1', 2)).toBeDefined();
    expect(cache.get('h3', 2)).toBeDefined();
  });

  it('evicts by key id and by owner', () => {
    const cache = new VerifiedKeyCache(10, 1000);
    cache.set('h1', verified('k1', 'u1'), cache.ticket(), 0);
    cache.set('h2', verified('k2', 'u1'), cache.ticket(), 0);
    cache.set('h3', verified('k3', 'u2'), cache.ticket(), 0);
    cache.evictKey('k1');
    expect(cache.get('h1', 1)).toBeUndefined();
    cache.evictUser('u1');
    expect(cache.get('h2', 1)).toBeUndefined();
    expect(cache.get('h3', 1)).toBeDefined();
  });

  it('does not keep a value loaded before an eviction', () => {
    const cache = new VerifiedKeyCache(10, 1000);
    const ticket = cache.ticket();
    cache.evictKey('k1');
    cache.set('h1', verified('k1'), ticket, 0);
    expect(cache.get('h1', 1)).toBeUndefined();
  });

  it('caches nothing with a TTL of 0', () => {
    const cache = new VerifiedKeyCache(10, 0);
    cache.set('h1', verified('k1'), cache.ticket(), 0);
    expect(cache.size).toBe(0);
  });
});
