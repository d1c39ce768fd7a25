import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STATUSES, DeliveryStatus } from '../webhook-delivery.entity';
import type { WebhookEndpoint } from '../webhook-endpoint.entity';
import type { DeliveryWithType } from '../webhooks.repository';
import { SUBSCRIBABLE } from './create-webhook.dto';

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/** An endpoint as lists and look-ups show it (never its secret). */
export class WebhookResponseDto {
  /** Endpoint id. */
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** Where deliveries are posted. */
  @ApiProperty({ example: 'https://example.com/hooks/tunetrail' })
  url: string;

  /** Event types delivered, or `["*"]`. */
  @ApiProperty({ enum: SUBSCRIBABLE, isArray: true })
  events: string[];

  /** What the endpoint is for. */
  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  /** `false` while paused. */
  is_active: boolean;

  /** When it was created (ISO 8601 UTC). */
  @ApiProperty({ format: 'date-time' })
  created_at: string;

  static from(endpoint: WebhookEndpoint): WebhookResponseDto {
    return {
      id: endpoint.id,
      url: endpoint.url,
      events: [...endpoint.events],
      description: endpoint.description,
      is_active: endpoint.isActive,
      created_at: endpoint.createdAt.toISOString(),
    };
  }
}

/** The creation response: the only one that shows the signing secret. */
export class CreatedWebhookResponseDto extends WebhookResponseDto {
  /** Signing secret (`whsec_` + base64 of 32 bytes). Shown once: store it securely. */
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret: string;
}

export class WebhookListResponseDto {
  /** The page of endpoints, newest first. */
  data: WebhookResponseDto[];

  /** The account's endpoints. */
  total: number;

  /** Page size used. */
  limit: number;

  /** Endpoints skipped. */
  offset: number;
}

export class WebhookTestResponseDto {
  /** Id of the `webhook.test` event (the `webhook-id` header of its delivery). */
  @ApiProperty({ format: 'uuid' })
  event_id: string;
}

export class WebhookDeliveryDto {
  /** Delivery id. */
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** The event delivered (the `webhook-id` header). */
  @ApiProperty({ format: 'uuid' })
  event_id: string;

  /** Its type. */
  @ApiProperty({ example: 'api_key.revoked' })
  event_type: string;

  /** `pending` until a 2xx (`succeeded`) or the last retry failed (`failed`). */
  @ApiProperty({ enum: DELIVERY_STATUSES })
  status: DeliveryStatus;

  /** Attempts made so far. */
  attempts: number;

  /** Status code of the last attempt; `null` when it got no answer. */
  @ApiProperty({ type: Number, nullable: true, example: 204 })
  last_status_code: number | null;

  /** Why the last attempt failed; `null` when it did not. */
  @ApiProperty({ type: String, nullable: true })
  last_error: string | null;

  /** When the next attempt is due; `null` once succeeded or failed. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  next_attempt_at: string | null;

  /** When the delivery was queued. */
  @ApiProperty({ format: 'date-time' })
  created_at: string;

  /** When a 2xx arrived; `null` until then. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  delivered_at: string | null;

  static from(delivery: DeliveryWithType): WebhookDeliveryDto {
    return {
      id: delivery.id,
      event_id: delivery.eventId,
      event_type: delivery.eventType,
      status: delivery.status,
      attempts: delivery.attempts,
      last_status_code: delivery.lastStatusCode,
      last_error: delivery.lastError,
      next_attempt_at: delivery.status === 'pending' ? iso(delivery.nextAttemptAt) : null,
      created_at: delivery.createdAt.toISOString(),
      delivered_at: iso(delivery.deliveredAt),
    };
  }
}

export class WebhookDeliveryListResponseDto {
  /** The page of deliveries, newest first. */
  data: WebhookDeliveryDto[];

  /** The endpoint's deliveries. */
  total: number;

  /** Page size used. */
  limit: number;

  /** Deliveries skipped. */
  offset: number;
}
