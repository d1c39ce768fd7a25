import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { EventsRepository } from '../events/events.repository';

const DAY_MS = 86_400_000;
const RETENTION_INTERVAL_MS = 3_600_000;

/** Deletes events older than AUDIT_RETENTION_DAYS, at start-up and every hour. */
@Injectable()
export class AuditRetention implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AuditRetention.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly events: EventsRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const run = (): void => {
      this.purge().catch((error: Error) => this.logger.warn(`Audit log retention failed: ${error.message}`));
    };
    run();
    this.timer = setInterval(run, RETENTION_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async purge(now = Date.now()): Promise<number> {
    const deleted = await this.events.deleteOlderThan(new Date(now - this.config.auditRetentionDays * DAY_MS));
    if (deleted > 0) this.logger.log(`Deleted ${deleted} events older than ${this.config.auditRetentionDays} days`);
    return deleted;
  }
}
