import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Where an account wants its events posted. `events` holds event types, or `*` for all. */
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  url: string;

  @Column('text', { array: true })
  events: string[];

  @Column('text', { nullable: true })
  description: string | null;

  /** `whsec_...`: the signing key. Only the dispatcher reads it (and the creation response shows it). */
  @Column('text', { select: false })
  secret: string;

  @Column('boolean', { name: 'is_active' })
  isActive: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
