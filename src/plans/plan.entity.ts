import { RateLimitColumns } from '../rate-limit/rate-limit-columns';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Scope } from './scopes';

export const PLAN_IDS = ['free', 'starter', 'pro', 'enterprise'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

/** A plan's limits (`null` = custom, set per user on enterprise) and the scopes it grants. */
@Entity('plans')
export class Plan {
  @PrimaryColumn('text')
  id: PlanId;

  @Column('text')
  name: string;

  /** The plan's limits; `null` = custom, set per user (enterprise). */
  @Column(() => RateLimitColumns, { prefix: false })
  rateLimits: RateLimitColumns;

  @Column('text', { array: true })
  scopes: Scope[];

  @Column('smallint', { name: 'sort_order' })
  sortOrder: number;
}
