import { ApiProperty } from '@nestjs/swagger';
import type { EventRecord } from '../../events/event.entity';
import { ACTOR_TYPES, ActorType, EVENT_TYPES, EventType } from '../../events/event-types';

export class ActorDto {
  /** Who caused the event. */
  @ApiProperty({ enum: ACTOR_TYPES, example: 'user' })
  type: ActorType;

  /** The user's or API key's id; `null` for the system. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  id: string | null;
}

export class AuditLogEntryDto {
  /** Event id (the `webhook-id` of its deliveries). */
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** Event type. */
  @ApiProperty({ enum: EVENT_TYPES, example: 'api_key.revoked' })
  type: EventType;

  /** When it happened (ISO 8601 UTC). */
  @ApiProperty({ format: 'date-time' })
  created_at: string;

  actor: ActorDto;

  /** Client address of the request that caused it; `null` when no request did. */
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip: string | null;

  /** The event's data, as webhooks deliver it. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;

  static from(event: EventRecord): AuditLogEntryDto {
    return {
      id: event.id,
      type: event.type,
      created_at: event.createdAt.toISOString(),
      actor: { type: event.actorType, id: event.actorId },
      ip: event.ip,
      data: event.data,
    };
  }
}

export class AuditLogResponseDto {
  /** The page of events, newest first. */
  data: AuditLogEntryDto[];

  /** Events matching the filter. */
  total: number;

  /** Page size used. */
  limit: number;

  /** Events skipped. */
  offset: number;
}
