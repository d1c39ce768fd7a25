import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { WebhookSender } from './webhook-sender';
import { webhookSignature } from './webhook-signature';
import { WebhookUrlPolicy, WebhookUrlRefused } from './webhook-url-policy';
import { AttemptOutcome, ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

/** Deliveries one instance attempts at once. */
const BATCH_SIZE = 20;
/** Added to the attempt timeout for the lease, so a slow write of the outcome never lets a second instance in. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Posts due deliveries, on every instance: each claims a batch (rows other instances hold are
 * skipped), signs and posts each one, and records the outcome and, on failure, when to try again
 * after WEBHOOK_RETRY_SCHEDULE. State lives in the database only, so a restart loses nothing.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly urls: WebhookUrlPolicy,
    private readonly sender: WebhookSender,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: Error) => {
          this.logger.warn(`Webhook dispatch failed: ${error.message}`);
          return false;
        })
        .then((full) => this.schedule(full ? 0 : this.config.webhookPollIntervalMs));
    }, delayMs);
  }

  /** One batch; true when it was full (more may be due at once). */
  async tick(): Promise<boolean> {
    const claimed = await this.repository.claimDue(BATCH_SIZE, this.config.webhookTimeoutMs + LEASE_MARGIN_MS);
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length === BATCH_SIZE;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const attemptedAt = new Date();
    let statusCode: number | null = null;
    let error: string | null = null;
    if (!delivery.endpointActive) {
      error = 'Endpoint is paused';
    } else {
      try {
        // Checked again at each attempt: the host may resolve elsewhere now.
        const target = await this.urls.resolve(delivery.url);
        const body = JSON.stringify({
          type: delivery.eventType,
          timestamp: delivery.eventCreatedAt.toISOString(),
          data: delivery.eventData,
        });
        const timestamp = Math.floor(Date.now() / 1000);
        const result = await this.sender.send(
          target,
          {
            'content-type': 'application/json',
            'user-agent': 'TuneTrail-Webhooks/1',
            'webhook-id': delivery.eventId,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': webhookSignature(delivery.secret, delivery.eventId, timestamp, body),
          },
          body,
          this.config.webhookTimeoutMs,
        );
        statusCode = result.statusCode ?? null;
        error = result.error ?? (isSuccess(statusCode) ? null : `Receiver answered ${statusCode}`);
      } catch (failure) {
        if (!(failure instanceof WebhookUrlRefused)) throw failure;
        error = `URL refused: ${failure.message}`;
      }
    }
    await this.repository.recordAttempt(this.outcomeOf(delivery, attemptedAt, statusCode, error));
  }

  private outcomeOf(
    delivery: ClaimedDelivery,
    attemptedAt: Date,
    statusCode: number | null,
    error: string | null,
  ): AttemptOutcome {
    const outcome = {
      deliveryId: delivery.id,
      attempt: delivery.attempt,
      statusCode,
      error,
      durationMs: Date.now() - attemptedAt.getTime(),
      attemptedAt,
    };
    if (error === null) return { ...outcome, status: 'succeeded', nextAttemptAt: null };
    const delaySeconds = this.config.webhookRetryScheduleSeconds[delivery.attempt - 1];
    if (delaySeconds === undefined || !delivery.endpointActive)
      return { ...outcome, status: 'failed', nextAttemptAt: null };
    return { ...outcome, status: 'pending', nextAttemptAt: new Date(Date.now() + delaySeconds * 1000) };
  }
}

const isSuccess = (statusCode: number | null): boolean => statusCode !== null && statusCode >= 200 && statusCode < 300;
