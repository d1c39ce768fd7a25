import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { EventRecord } from '../events/event.entity';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export interface EndpointPage {
  data: WebhookEndpoint[];
  total: number;
}

export interface DeliveryWithType extends WebhookDelivery {
  eventType: string;
}

export interface DeliveryPage {
  data: DeliveryWithType[];
  total: number;
}

/** A delivery this instance claimed for one attempt, with what the attempt needs. */
export interface ClaimedDelivery {
  id: string;
  attempt: number;
  eventId: string;
  eventType: string;
  eventData: Record<string, unknown>;
  eventCreatedAt: Date;
  url: string;
  secret: string;
  endpointActive: boolean;
}

export interface AttemptOutcome {
  deliveryId: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
  status: DeliveryStatus;
  /** When to try again (while `pending`). */
  nextAttemptAt: Date | null;
}

/** The endpoints subscribed to an event (`*` subscribes to all), skipping `webhook.test`, which goes to one. */
const FAN_OUT_SQL = `
  INSERT INTO webhook_deliveries (event_id, endpoint_id, next_attempt_at)
  SELECT $1, id, now() FROM webhook_endpoints
  WHERE user_id = $2 AND is_active AND ($3 = ANY (events) OR '*' = ANY (events))`;

/**
 * Claims due deliveries for one attempt each: rows another instance holds are skipped, and the
 * lease (`next_attempt_at` moved past the attempt's timeout) keeps them from being claimed again
 * while the attempt runs. If this instance dies mid-attempt, the lease runs out and another one
 * tries again: at least once.
 */
const CLAIM_SQL = `
  WITH due AS (
    SELECT id FROM webhook_deliveries
    WHERE status = 'pending' AND next_attempt_at <= now()
    ORDER BY next_attempt_at
    LIMIT $1
    FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE webhook_deliveries d
    SET attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
    FROM due WHERE d.id = due.id
    RETURNING d.id, d.attempts, d.event_id, d.endpoint_id
  )
  SELECT c.id, c.attempts AS attempt, e.id AS event_id, e.type AS event_type, e.data AS event_data,
         e.created_at AS event_created_at, w.url, w.secret, w.is_active AS endpoint_active
  FROM claimed c
  JOIN events e ON e.id = c.event_id
  JOIN webhook_endpoints w ON w.id = c.endpoint_id`;

interface ClaimRow {
  id: string;
  attempt: number;
  event_id: string;
  event_type: string;
  event_data: Record<string, unknown> | string;
  event_created_at: Date | string;
  url: string;
  secret: string;
  endpoint_active: boolean;
}

/** Every query of `webhook_endpoints`, `webhook_deliveries` and `webhook_delivery_attempts`. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get endpoints() {
    return this.dataSource.getRepository(WebhookEndpoint);
  }

  async createEndpoint(fields: Omit<WebhookEndpoint, 'id' | 'createdAt' | 'updatedAt'>): Promise<WebhookEndpoint> {
    const saved = await this.endpoints.save(this.endpoints.create(fields));
    return saved;
  }

  async pageEndpoints(userId: string, limit: number, offset: number): Promise<EndpointPage> {
    const [data, total] = await this.endpoints.findAndCount({
      where: { userId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { data, total };
  }

  findEndpoint(userId: string, id: string): Promise<WebhookEndpoint | null> {
    return this.endpoints.findOneBy({ id, userId });
  }

  async updateEndpoint(userId: string, id: string, changes: Partial<WebhookEndpoint>): Promise<boolean> {
    const result = await this.endpoints.update({ id, userId }, changes);
    return (result.affected ?? 0) > 0;
  }

  async deleteEndpoint(userId: string, id: string): Promise<boolean> {
    const result = await this.endpoints.delete({ id, userId });
    return (result.affected ?? 0) > 0;
  }

  /** In the event's transaction: one pending delivery per subscribed, active endpoint. */
  async fanOut(manager: EntityManager, event: EventRecord): Promise<void> {
    await manager.query(FAN_OUT_SQL, [event.id, event.userId, event.type]);
  }

  async addDelivery(manager: EntityManager, eventId: string, endpointId: string): Promise<void> {
    await manager.getRepository(WebhookDelivery).insert({ eventId, endpointId, nextAttemptAt: new Date() });
  }

  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await this.dataSource.query<ClaimRow[]>(CLAIM_SQL, [limit, leaseMs]);
    return rows.map((row) => ({
      id: row.id,
      attempt: Number(row.attempt),
      eventId: row.event_id,
      eventType: row.event_type,
      eventData:
        typeof row.event_data === 'string' ? (JSON.parse(row.event_data) as Record<string, unknown>) : row.event_data,
      eventCreatedAt: new Date(row.event_created_at),
      url: row.url,
      secret: row.secret,
      endpointActive: row.endpoint_active,
    }));
  }

  /**
   * Records an attempt and the delivery's new state, unless a newer attempt has claimed the
   * delivery meanwhile (a lease that ran out): then only the attempt row is kept.
   */
  async recordAttempt(outcome: AttemptOutcome): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, error, duration_ms, attempted_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [
          outcome.deliveryId,
          outcome.attempt,
          outcome.statusCode,
          outcome.error,
          outcome.durationMs,
          outcome.attemptedAt,
        ],
      );
      await manager.query(
        `UPDATE webhook_deliveries
         SET status = $3, last_status_code = $4, last_error = $5,
             next_attempt_at = COALESCE($6, next_attempt_at),
             delivered_at = CASE WHEN $3 = 'succeeded' THEN now() ELSE delivered_at END
         WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
        [outcome.deliveryId, outcome.attempt, outcome.status, outcome.statusCode, outcome.error, outcome.nextAttemptAt],
      );
    });
  }

  async pageDeliveries(endpointId: string, limit: number, offset: number): Promise<DeliveryPage> {
    const builder = this.dataSource
      .getRepository(WebhookDelivery)
      .createQueryBuilder('d')
      .innerJoin('events', 'e', 'e.id = d.event_id')
      .addSelect('e.type', 'event_type')
      .where('d.endpoint_id = :endpointId', { endpointId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(limit)
      .offset(offset);
    const [{ entities, raw }, total] = await Promise.all([
      builder.getRawAndEntities<{ event_type: string }>(),
      builder.getCount(),
    ]);
    return { data: entities.map((delivery, i) => ({ ...delivery, eventType: raw[i].event_type })), total };
  }
}
