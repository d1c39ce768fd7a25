import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ApiKeysService } from '../api-keys/api-keys.service';
import type { AuthenticatedApiKey } from '../api-keys/authenticated-api-key';
import { ApiKeyResponseDto } from '../api-keys/dto/api-key-response.dto';
import type { RateLimitDecision, WindowState } from '../rate-limit/rate-limiter.service';
import type { RedisConnection } from '../redis/redis-connection';
import { InjectRedis } from '../redis/redis.module';
import { withReplyTimeout } from '../redis/reply-timeout';
import { EventsRecorder } from './events-recorder';

/** Share of the day limit at which `usage.threshold` fires. */
export const USAGE_THRESHOLDS = [80, 100] as const;
/** Alerts waiting to be recorded; past this, new ones are dropped (and logged) rather than piling up. */
const MAX_PENDING = 10_000;
/** Local "already raised" marks kept before the expired ones are swept. */
const MAX_MARKS = 50_000;
/** Marks outlive their window a little, for clocks that differ between instances. */
const MARK_SLACK_MS = 60_000;

interface PendingAlert {
  mark: string;
  expiresAtMs: number;
  key: AuthenticatedApiKey;
  ip: string | null;
  type: 'rate_limit.exceeded' | 'usage.threshold';
  data: Record<string, unknown>;
}

/**
 * `rate_limit.exceeded` (once per key and window period) and `usage.threshold` (80 % and 100 % of
 * the day limit, once each a day). The request path only compares numbers it already has and
 * queues an alert the first time this instance sees it; recording happens off the path, where a
 * Redis `SET NX` with the window's expiry makes one instance of many record it (on the embedded
 * default the in-memory mark alone decides).
 */
@Injectable()
export class UsageAlerts implements BeforeApplicationShutdown {
  private readonly logger = new Logger(UsageAlerts.name);
  private readonly marks = new Map<string, number>();
  private pending: PendingAlert[] = [];
  private flushing?: Promise<void>;

  constructor(
    @InjectRedis() private readonly redis: RedisConnection | null,
    private readonly recorder: EventsRecorder,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** On the request path, after the rate-limit decision: no I/O. */
  observe(key: AuthenticatedApiKey, decision: RateLimitDecision, ip: string | null): void {
    const refused = decision.refusedBy;
    if (!decision.allowed && refused) {
      this.raise(key, ip, 'rate_limit.exceeded', refused, `${refused.window}`, {
        window: refused.window,
        limit: refused.limit,
        reset_at: refused.resetAt,
      });
    }
    const day = decision.windows.day;
    const used = day.limit - day.remaining;
    for (const threshold of USAGE_THRESHOLDS) {
      if (used * 100 < threshold * day.limit) break;
      this.raise(key, ip, 'usage.threshold', day, String(threshold), {
        threshold,
        window: 'day',
        limit: day.limit,
        reset_at: day.resetAt,
      });
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Records what is queued (tests and shutdown wait for it). */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private raise(
    key: AuthenticatedApiKey,
    ip: string | null,
    type: PendingAlert['type'],
    window: WindowState,
    detail: string,
    data: Record<string, unknown>,
  ): void {
    const mark = `${type}:${key.id}:${detail}:${window.resetAt}`;
    if (this.marks.has(mark)) return;
    const expiresAtMs = Date.now() + window.secondsToReset * 1000 + MARK_SLACK_MS;
    if (this.marks.size >= MAX_MARKS) this.sweep();
    this.marks.set(mark, expiresAtMs);
    if (this.pending.length >= MAX_PENDING) {
      this.logger.warn(`Dropped a ${type} event: ${MAX_PENDING} are already waiting to be recorded`);
      return;
    }
    this.pending.push({ mark, expiresAtMs, key, ip, type, data });
    if (this.pending.length === 1) setImmediate(() => void this.flush());
  }

  private sweep(): void {
    const now = Date.now();
    for (const [mark, expiresAtMs] of this.marks) if (expiresAtMs <= now) this.marks.delete(mark);
    if (this.marks.size >= MAX_MARKS) this.marks.clear();
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      for (const alert of batch) {
        try {
          if (await this.firstAcrossInstances(alert)) await this.record(alert);
        } catch (error) {
          this.logger.warn(`Could not record a ${alert.type} event: ${(error as Error).message}`);
        }
      }
    }
  }

  private async firstAcrossInstances(alert: PendingAlert): Promise<boolean> {
    if (!this.redis) return true;
    const reply = this.redis.client.set(`${this.redis.keyPrefix}alert:${alert.mark}`, '1', {
      NX: true,
      PXAT: alert.expiresAtMs,
    });
    return (await withReplyTimeout(reply, this.redis.commandTimeoutMs)) !== null;
  }

  private async record(alert: PendingAlert): Promise<void> {
    const { key, limits } = await this.apiKeys.get(alert.key.userId, alert.key.id);
    await this.recorder.recordAlone({
      userId: alert.key.userId,
      type: alert.type,
      data: { api_key: ApiKeyResponseDto.from(key, limits), ...alert.data },
      actor: { type: 'api_key', id: alert.key.id },
      ip: alert.ip,
    });
  }
}
