import type { UsageRecord } from './usage-record';

/** `last_used_at` moves at most this often per key. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** ApiKeysRepository's `updateLastUsed`: each key's `last_used_at` moved forward to its time (epoch ms). */
export type UpdateLastUsed = (keyIds: string[], usedAtMs: number[]) => Promise<void>;

/**
 * Follows each key's latest written usage row and updates `api_keys.last_used_at` in one batched
 * UPDATE, at most once a minute per key: a busy key costs one UPDATE a minute, not one per request.
 */
export class LastUsedTracker {
  /** Latest use not yet written, per key. */
  private readonly pending = new Map<string, number>();
  /** When each key's `last_used_at` was last written (only within the last minute). */
  private readonly writtenAt = new Map<string, number>();

  constructor(private readonly updateLastUsed: UpdateLastUsed) {}

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
    await this.updateLastUsed(ids, times);
    ids.forEach((id, i) => {
      if (this.pending.get(id) === times[i]) this.pending.delete(id);
      this.writtenAt.set(id, now);
    });
  }
}
