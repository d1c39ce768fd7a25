import type { RateLimitSettings } from '../rate-limit/rate-limits';
import type { PlanId } from './plan.entity';
import { Scope, SCOPES_FROM_FREE, SCOPES_FROM_PRO, SCOPES_FROM_STARTER } from './scopes';

const FREE_SCOPES: readonly Scope[] = SCOPES_FROM_FREE;
const STARTER_SCOPES: readonly Scope[] = [...FREE_SCOPES, ...SCOPES_FROM_STARTER];
const PRO_SCOPES: readonly Scope[] = [...STARTER_SCOPES, ...SCOPES_FROM_PRO];

export interface CataloguePlan {
  name: string;
  /** `null` limits are custom, set per user (enterprise). */
  limits: RateLimitSettings;
  scopes: readonly Scope[];
}

/**
 * The guide's four plans ("Rate Limits" and "Available Scopes"), cheapest first: what the foundation
 * migration seeds into `plans` and what tests expect. Changing a plan takes a new migration too.
 */
export const PLAN_CATALOGUE: Readonly<Record<PlanId, CataloguePlan>> = {
  free: { name: 'Free', limits: { minute: 10, hour: 100, day: 1000 }, scopes: FREE_SCOPES },
  starter: { name: 'Starter', limits: { minute: 60, hour: 1000, day: 10000 }, scopes: STARTER_SCOPES },
  pro: { name: 'Pro', limits: { minute: 300, hour: 10000, day: 100000 }, scopes: PRO_SCOPES },
  enterprise: { name: 'Enterprise', limits: { minute: null, hour: null, day: null }, scopes: PRO_SCOPES },
};
