import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EventRecord } from './event.entity';
import type { NewEvent } from './event-types';
import { EventsRepository } from './events.repository';

/** Runs in the transaction that recorded the event (webhooks fan out their deliveries here). */
export type RecordedEventListener = (manager: EntityManager, event: EventRecord) => Promise<void>;

/**
 * Writes events to the outbox. `record` joins the caller's transaction, so an event is stored if
 * and only if the change that caused it is; listeners run in that same transaction.
 */
@Injectable()
export class EventsRecorder {
  private readonly listeners: RecordedEventListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: EventsRepository,
  ) {}

  onRecorded(listener: RecordedEventListener): void {
    this.listeners.push(listener);
  }

  async record(manager: EntityManager, event: NewEvent): Promise<EventRecord> {
    const recorded = await this.repository.insert(manager, event);
    for (const listener of this.listeners) await listener(manager, recorded);
    return recorded;
  }

  /** For causes that change nothing else in the database (rate limits, thresholds, tests). */
  recordAlone(event: NewEvent): Promise<EventRecord> {
    return this.dataSource.transaction((manager) => this.record(manager, event));
  }
}
