import { RateLimitColumns } from '../rate-limit/rate-limit-columns';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PlanId } from '../plans/plan.entity';

export type UserRole = 'user' | 'admin';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased; unique. */
  @Column('text')
  email: string;

  @Column('text', { name: 'password_hash', select: false })
  passwordHash: string;

  @Column('text', { nullable: true })
  name: string | null;

  @Column('text', { default: 'user' })
  role: UserRole;

  @Column('text', { name: 'plan_id', default: 'free' })
  planId: PlanId;

  /** Custom limits; only on the enterprise plan, whose plan row has none. */
  @Column(() => RateLimitColumns, { prefix: false })
  rateLimits: RateLimitColumns;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
