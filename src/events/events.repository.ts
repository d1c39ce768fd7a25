import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { EventRecord } from './event.entity';
import type { EventType, NewEvent } from './event-types';

export interface EventPage {
  data: EventRecord[];
  total: number;
}

/** Every query of the `events` table. */
@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts in the caller's transaction, so the event exists exactly when the change does. */
  insert(manager: EntityManager, event: NewEvent): Promise<EventRecord> {
    const events = manager.getRepository(EventRecord);
    return events.save(
      events.create({
        userId: event.userId,
        type: event.type,
        data: event.data,
        actorType: event.actor.type,
        actorId: event.actor.id,
        ip: event.ip ?? null,
      }),
    );
  }

  async page(userId: string, type: EventType | undefined, limit: number, offset: number): Promise<EventPage> {
    const [data, total] = await this.dataSource.getRepository(EventRecord).findAndCount({
      where: type === undefined ? { userId } : { userId, type },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { data, total };
  }

  findById(id: string): Promise<EventRecord | null> {
    return this.dataSource.getRepository(EventRecord).findOneBy({ id });
  }

  /** Deletes events older than the cut-off (their webhook deliveries go with them); returns how many. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.dataSource.getRepository(EventRecord).delete({ createdAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}
