import type { AuthenticatedApiKey } from './authenticated-api-key';
import type { IpAllowlist } from './ip-allowlist';

/** A known key as the request path needs it: everything precomputed, nothing left to query. */
export interface VerifiedApiKey {
  apiKey: AuthenticatedApiKey;
  revoked: boolean;
  /** `false` while suspended. */
  active: boolean;
  /** Epoch ms; `Infinity` when it never expires. */
  expiresAtMs: number;
  /** `null` allows any address. */
  ipAllowlist: IpAllowlist | null;
}

/** A cached key: fresh until `freshUntil`, then served stale while it is read again, for one more TTL at most. */
export interface CachedKey {
  value: VerifiedApiKey;
  freshUntil: number;
}

type Entry = CachedKey;

/**
 * Bounded LRU of verified keys with a TTL, keyed by key hash, with indexes by key id and owner so an
 * "API key changed" or "user changed" event evicts exactly the entries concerned.
 *
 * A look-up that started before an eviction must not put back what was evicted: {@link ticket}
 * hands out the eviction count, and {@link set} ignores a value loaded under an older one.
 */
export class VerifiedKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly hashByKeyId = new Map<string, string>();
  private readonly hashesByUserId = new Map<string, Set<string>>();
  private evictions = 0;
  /** The hash last read or written, already at the most recently used end: reading it again moves nothing. */
  private mostRecent?: string;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The entry, fresh or stale (its TTL ran out less than a TTL ago: the caller serves it and
   * reloads it in the background, so requests do not all wait for the database each time a busy
   * key's TTL runs out). Older entries are gone.
   */
  get(hash: string, now: number): CachedKey | undefined {
    const entry = this.entries.get(hash);
    if (entry === undefined) return undefined;
    if (entry.freshUntil + this.ttlMs <= now) {
      this.remove(hash, entry);
      return undefined;
    }
    if (hash !== this.mostRecent) {
      // Re-insertion moves the entry to the most recently used end of the Map's order.
      this.entries.delete(hash);
      this.entries.set(hash, entry);
      this.mostRecent = hash;
    }
    return entry;
  }

  /** Drops the entry of a key that is no longer in the database. */
  forget(hash: string): void {
    const entry = this.entries.get(hash);
    if (entry) this.remove(hash, entry);
  }

  /** Marks the start of a database look-up; pass it back to {@link set}. */
  ticket(): number {
    return this.evictions;
  }

  set(hash: string, value: VerifiedApiKey, ticket: number, now: number): void {
    if (this.ttlMs === 0 || ticket !== this.evictions) return;
    const existing = this.entries.get(hash);
    if (existing) this.remove(hash, existing);
    this.entries.set(hash, { value, freshUntil: now + this.ttlMs });
    this.mostRecent = hash;
    this.hashByKeyId.set(value.apiKey.id, hash);
    let hashes = this.hashesByUserId.get(value.apiKey.userId);
    if (!hashes) this.hashesByUserId.set(value.apiKey.userId, (hashes = new Set()));
    hashes.add(hash);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.remove(oldest, this.entries.get(oldest)!);
    }
  }

  evictKey(keyId: string): void {
    this.evictions++;
    const hash = this.hashByKeyId.get(keyId);
    const entry = hash === undefined ? undefined : this.entries.get(hash);
    if (entry) this.remove(hash!, entry);
  }

  evictUser(userId: string): void {
    this.evictions++;
    for (const hash of [...(this.hashesByUserId.get(userId) ?? [])]) this.remove(hash, this.entries.get(hash)!);
  }

  private remove(hash: string, entry: Entry): void {
    this.entries.delete(hash);
    if (this.mostRecent === hash) this.mostRecent = undefined;
    const { id, userId } = entry.value.apiKey;
    if (this.hashByKeyId.get(id) === hash) this.hashByKeyId.delete(id);
    const hashes = this.hashesByUserId.get(userId);
    hashes?.delete(hash);
    if (hashes?.size === 0) this.hashesByUserId.delete(userId);
  }
}
