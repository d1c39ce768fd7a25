import type { Query } from './usage-writer';
import type { UsageRecord } from './usage-record';

/** `last_used_at` moves at most this often per key. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const UPDATE_LAST_USED = `
  UPDATE api_keys AS k SET last_used_at = to_timestamp(used.used_ms / 1000)
  FROM unnest($1::uuid[], $2::float8[]) AS used (id, used_ms)
  WHERE k.id = used.id AND (k.last_used_at IS NULL OR k.last_used_at < to_timestamp(used.used_ms / 1000))`;

/**
 * Follows each key's latest written usage row and updates `api_keys.last_used_at` in one batched
 * UPDATE, at most once a minute per key: a busy key costs one UPDATE a minute, not one per request.
 */
export class LastUsedTracker {
  /** Latest use not yet written, per key. */
  private readonly pending = new Map<string, number>();
  /** When each key's `last_used_at` was last written (only within the last minute). */
  private readonly writtenAt = new Map<string, number>();

  constructor(private readonly query: Query) {}

  note(rows: readonly UsageRecord[]): void {
    for (const row of rows) {
      const known = this.pending.get(row.apiKeyId);
      if (known === undefined || row.createdAt > known) this.pending.set(row.apiKeyId, row.createdAt);
    }
  }

  /** Writes the keys whose last write is a minute old (all of them with `everything`, at shutdown). */
  async write(now: number, everything = false): Promise<void> {
    for (const [id, at] of this.writtenAt) if (now - at >= LAST_USED_RESOLUTION_MS) this.writtenAt.delete(id);
    const ids: string[] = [];
    const times: number[] = [];
    for (const [id, usedAt] of this.pending) {
      if (everything || !this.writtenAt.has(id)) {
        ids.push(id);
        times.push(usedAt);
      }
    }
    if (ids.length === 0) return;
    await this.query(UPDATE_LAST_USED, [ids, times]);
    ids.forEach((id, i) => {
      if (this.pending.get(id) === times[i]) this.pending.delete(id);
      this.writtenAt.set(id, now);
    });
  }
}
