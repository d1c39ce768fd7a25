import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ActorType, EventType } from './event-types';

/** One row of the `events` outbox: what the audit log shows and webhooks deliver. */
@Entity('events')
export class EventRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  type: EventType;

  @Column('jsonb')
  data: Record<string, unknown>;

  @Column('text', { name: 'actor_type' })
  actorType: ActorType;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('text', { nullable: true })
  ip: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
