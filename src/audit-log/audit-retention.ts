import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PeriodicTask } from '../common/timers/periodic-task';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { EventsRepository } from '../events/events.repository';

const DAY_MS = 86_400_000;
const RETENTION_INTERVAL_MS = 3_600_000;

/** Deletes events older than AUDIT_RETENTION_DAYS, at start-up and every hour. */
@Injectable()
export class AuditRetention implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AuditRetention.name);
  private readonly task = new PeriodicTask(
    () => this.purge(),
    (error) => this.logger.warn(`Audit log retention failed: ${error.message}`),
  );

  constructor(
    private readonly events: EventsRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    void this.task.runNow();
    this.task.start(RETENTION_INTERVAL_MS);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  async purge(now = Date.now()): Promise<number> {
    const deleted = await this.events.deleteOlderThan(new Date(now - this.config.auditRetentionDays * DAY_MS));
    if (deleted > 0) this.logger.log(`Deleted ${deleted} events older than ${this.config.auditRetentionDays} days`);
    return deleted;
  }
}
