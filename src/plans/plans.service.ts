import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { RateLimits } from '../rate-limit/rate-limits';
import type { User } from '../users/user.entity';
import { Plan, PlanId } from './plan.entity';
import type { Scope } from './scopes';

export type PlanLimitsHolder = Pick<
  User,
  'planId' | 'rateLimitRequestsPerMinute' | 'rateLimitRequestsPerHour' | 'rateLimitRequestsPerDay'
>;

/**
 * The plans table, read once at start-up: plans change only by migration, and every API-key request
 * needs a plan's scopes and limits, so they are served from memory.
 */
@Injectable()
export class PlansService implements OnModuleInit {
  private plans: Plan[] = [];
  private readonly byId = new Map<PlanId, Plan>();
  private readonly scopesById = new Map<PlanId, ReadonlySet<Scope>>();

  constructor(@InjectRepository(Plan) private readonly repository: Repository<Plan>) {}

  async onModuleInit(): Promise<void> {
    this.plans = await this.repository.find({ order: { sortOrder: 'ASC' } });
    this.byId.clear();
    this.scopesById.clear();
    for (const plan of this.plans) {
      this.byId.set(plan.id, plan);
      this.scopesById.set(plan.id, new Set(plan.scopes));
    }
  }

  /** Every plan, cheapest first. */
  findAll(): Plan[] {
    return this.plans;
  }

  get(id: PlanId): Plan {
    const plan = this.byId.get(id);
    if (!plan) throw new Error(`Unknown plan "${id}": the plans table and PLAN_IDS disagree`);
    return plan;
  }

  scopesOf(id: PlanId): ReadonlySet<Scope> {
    this.get(id);
    return this.scopesById.get(id)!;
  }

  /** Whether the plan's limits are set per user (enterprise) rather than by the plan. */
  hasCustomLimits(id: PlanId): boolean {
    return this.get(id).rateLimitRequestsPerMinute === null;
  }

  /** The user's limits: the plan's numbers, or on a custom plan (enterprise) the user's own. */
  limitsFor(user: PlanLimitsHolder): RateLimits {
    const plan = this.get(user.planId);
    const source = this.hasCustomLimits(plan.id) ? user : plan;
    return {
      minute: source.rateLimitRequestsPerMinute ?? 0,
      hour: source.rateLimitRequestsPerHour ?? 0,
      day: source.rateLimitRequestsPerDay ?? 0,
    };
  }
}
