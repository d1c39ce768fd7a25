import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { EventRecord } from './event.entity';
import type { EventType, NewEvent } from './event-types';

/** A notice an API key is due: `7d`/`1d` before its expiry, or `expired` after it. */
export interface DueExpiryNotice {
  apiKeyId: string;
  userId: string;
  kind: ExpiryNoticeKind;
  expiresAt: Date;
}

export type ExpiryNoticeKind = '7d' | '1d' | 'expired';

/**
 * Keys whose notice moment has come and whose next one has not (`7d`: expiring in 1-7 days; `1d`:
 * within a day; `expired`: in the last 7 days, so a long outage does not flood), and that have not
 * had it for this `expires_at` (a new expiry gets new notices). Revoked and deleted keys get none.
 */
const DUE_EXPIRY_NOTICES_SQL = `
  SELECT k.id AS api_key_id, k.user_id, n.kind, k.expires_at
  FROM api_keys k
  JOIN (VALUES ('7d', interval '7 days', interval '1 day'),
               ('1d', interval '1 day', interval '0'),
               ('expired', interval '0', interval '-7 days')) AS n (kind, latest, earliest)
    ON k.expires_at <= now() + n.latest AND k.expires_at > now() + n.earliest
  WHERE k.expires_at IS NOT NULL AND k.deleted_at IS NULL AND k.revoked_at IS NULL
    AND NOT EXISTS (
      SELECT 1 FROM api_key_expiry_notices x
      WHERE x.api_key_id = k.id AND x.kind = n.kind AND x.expires_at = k.expires_at)
  ORDER BY k.expires_at
  LIMIT $1`;

interface DueExpiryRow {
  api_key_id: string;
  user_id: string;
  kind: ExpiryNoticeKind;
  expires_at: Date | string;
}

export interface EventPage {
  data: EventRecord[];
  total: number;
}

/** Every query of the `events` table. */
@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts in the caller's transaction, so the event exists exactly when the change does. */
  insert(manager: EntityManager, event: NewEvent): Promise<EventRecord> {
    const events = manager.getRepository(EventRecord);
    return events.save(
      events.create({
        userId: event.userId,
        type: event.type,
        data: event.data,
        actorType: event.actor.type,
        actorId: event.actor.id,
        ip: event.ip ?? null,
      }),
    );
  }

  async page(userId: string, type: EventType | undefined, limit: number, offset: number): Promise<EventPage> {
    const [data, total] = await this.dataSource.getRepository(EventRecord).findAndCount({
      where: type === undefined ? { userId } : { userId, type },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { data, total };
  }

  findById(id: string): Promise<EventRecord | null> {
    return this.dataSource.getRepository(EventRecord).findOneBy({ id });
  }

  async dueExpiryNotices(limit: number): Promise<DueExpiryNotice[]> {
    const rows = await this.dataSource.query<DueExpiryRow[]>(DUE_EXPIRY_NOTICES_SQL, [limit]);
    return rows.map((row) => ({
      apiKeyId: row.api_key_id,
      userId: row.user_id,
      kind: row.kind,
      expiresAt: new Date(row.expires_at),
    }));
  }

  /** In the event's transaction: true for the one instance that gets to raise this notice. */
  async claimExpiryNotice(manager: EntityManager, notice: DueExpiryNotice): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO api_key_expiry_notices (api_key_id, kind, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [notice.apiKeyId, notice.kind, notice.expiresAt],
    );
    return rows.length > 0;
  }

  /** Deletes events older than the cut-off (their webhook deliveries go with them); returns how many. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.dataSource.getRepository(EventRecord).delete({ createdAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}
