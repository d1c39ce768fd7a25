import { Injectable, OnModuleInit } from '@nestjs/common';
import type { RateLimits, RateLimitSettings } from '../rate-limit/rate-limits';
import type { User } from '../users/user.entity';
import { Plan, PlanId } from './plan.entity';
import { PlansRepository } from './plans.repository';
import type { Scope } from './scopes';

/** Whose limits follow a plan: a user (whose own limits count on a custom-limit plan). */
export type PlanLimitsHolder = Pick<User, 'planId'> & { rateLimits: RateLimitSettings };

/**
 * The plans table, read once at start-up: plans change only by migration, and every API-key request
 * needs a plan's scopes and limits, so they are served from memory.
 */
@Injectable()
export class PlansService implements OnModuleInit {
  private plans: Plan[] = [];
  private readonly byId = new Map<PlanId, Plan>();
  private readonly scopesById = new Map<PlanId, ReadonlySet<Scope>>();

  constructor(private readonly repository: PlansRepository) {}

  async onModuleInit(): Promise<void> {
    this.plans = await this.repository.findAllCheapestFirst();
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
    return this.get(id).rateLimits.minute === null;
  }

  /** The user's limits: the plan's numbers, or on a custom plan (enterprise) the user's own. */
  limitsFor(user: PlanLimitsHolder): RateLimits {
    const plan = this.get(user.planId);
    const { minute, hour, day } = this.hasCustomLimits(plan.id) ? user.rateLimits : plan.rateLimits;
    return { minute: minute ?? 0, hour: hour ?? 0, day: day ?? 0 };
  }
}
