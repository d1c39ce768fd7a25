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

  @Column('integer', { name: 'rate_limit_requests_per_minute', nullable: true })
  rateLimitRequestsPerMinute: number | null;

  @Column('integer', { name: 'rate_limit_requests_per_hour', nullable: true })
  rateLimitRequestsPerHour: number | null;

  @Column('integer', { name: 'rate_limit_requests_per_day', nullable: true })
  rateLimitRequestsPerDay: number | null;

  @Column('text', { array: true })
  scopes: Scope[];

  @Column('smallint', { name: 'sort_order' })
  sortOrder: number;
}
