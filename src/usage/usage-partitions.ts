import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PeriodicTask } from '../common/timers/periodic-task';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { UsageRepository } from './usage.repository';

/** Partitions exist this many days ahead, so a row never waits for one at midnight. */
const DAYS_AHEAD = 7;
const MAINTENANCE_INTERVAL_MS = 3_600_000;
/** A claim matters only until its batch's retry, at most one backoff (5 s) after PostgreSQL answers again. */
export const BATCH_CLAIM_HOURS = 24;

/**
 * Keeps the daily partitions of `api_key_usage`: creates them ahead at start-up (before the service
 * listens) and every hour, and drops whole partitions older than USAGE_RETENTION_DAYS. The same
 * upkeep deletes the batch claims (`usage_batches`) older than a day.
 */
@Injectable()
export class UsagePartitions implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(UsagePartitions.name);
  private readonly task = new PeriodicTask(
    () => this.upkeep(),
    (error) => this.logger.warn(`Usage upkeep (partitions, batch claims) failed: ${error.message}`),
  );

  constructor(
    private readonly usage: UsageRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** The first upkeep is awaited and may fail the start-up: without today's partition no row could be written. */
  async onModuleInit(): Promise<void> {
    await this.upkeep();
    this.task.start(MAINTENANCE_INTERVAL_MS);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** The start-up and hourly run: partitions from yesterday on, and the claims past their day. */
  async upkeep(): Promise<void> {
    await this.maintain(1);
    await this.usage.pruneBatchClaims(BATCH_CLAIM_HOURS);
  }

  /** Creates the partitions from `daysBack` days ago (within retention) to a week ahead; drops expired ones. */
  async maintain(daysBack: number): Promise<void> {
    const dropped = await this.usage.maintainPartitions(daysBack, DAYS_AHEAD, this.config.usageRetentionDays);
    if (dropped > 0)
      this.logger.log(`Dropped ${dropped} usage partitions older than ${this.config.usageRetentionDays} days`);
  }
}
