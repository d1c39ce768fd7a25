import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { ApiKeyResponseDto } from '../api-keys/dto/api-key-response.dto';
import { PeriodicTask } from '../common/timers/periodic-task';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { SYSTEM_ACTOR } from './event-types';
import { EventsRecorder } from './events-recorder';
import { DueExpiryNotice, EventsRepository } from './events.repository';

const BATCH_SIZE = 100;
const DAYS_BEFORE = { '7d': 7, '1d': 1 } as const;

/**
 * Raises `api_key.expiring` (7 days and 1 day before `expires_at`) and `api_key.expired`, on every
 * instance every API_KEY_EXPIRY_CHECK_INTERVAL_MS; a notice row claimed in the event's transaction
 * makes each one fire once however many instances look.
 */
@Injectable()
export class ApiKeyExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeyExpiryScheduler.name);
  private readonly task = new PeriodicTask(
    () => this.check(),
    (error) => this.logger.warn(`Key expiry check failed: ${error.message}`),
  );

  constructor(
    private readonly events: EventsRepository,
    private readonly recorder: EventsRecorder,
    private readonly apiKeys: ApiKeysService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.apiKeyExpiryCheckIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  async check(): Promise<void> {
    for (const notice of await this.events.dueExpiryNotices(BATCH_SIZE)) await this.raise(notice);
  }

  private async raise(notice: DueExpiryNotice): Promise<void> {
    const { key, limits } = await this.apiKeys.get(notice.userId, notice.apiKeyId);
    const view = ApiKeyResponseDto.from(key, limits);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.events.claimExpiryNotice(manager, notice))) return;
      await this.recorder.record(manager, {
        userId: notice.userId,
        ...(notice.kind === 'expired'
          ? { type: 'api_key.expired', data: { api_key: view, expires_at: notice.expiresAt.toISOString() } }
          : {
              type: 'api_key.expiring',
              data: {
                api_key: view,
                expires_at: notice.expiresAt.toISOString(),
                days_before: DAYS_BEFORE[notice.kind],
              },
            }),
        actor: SYSTEM_ACTOR,
      });
    });
  }
}
