import { PLAN_CATALOGUE } from '../../src/plans/plan-catalogue';
import type { PlanId } from '../../src/plans/plan.entity';
import type { RateLimits, RateLimitSettings } from '../../src/rate-limit/rate-limits';

/** The guide's limits of a plan that fixes them (every plan but enterprise), from `PLAN_CATALOGUE`. */
export function planLimits(plan: PlanId): RateLimits {
  const { minute, hour, day } = PLAN_CATALOGUE[plan].limits;
  if (minute === null || hour === null || day === null) throw new Error(`the ${plan} plan sets no limits of its own`);
  return { minute, hour, day };
}

/** The three limit fields of an API answer, spelled out here rather than by the service's own mapper. */
export const limitFields = (limits: RateLimitSettings) => ({
  rate_limit_requests_per_minute: limits.minute,
  rate_limit_requests_per_hour: limits.hour,
  rate_limit_requests_per_day: limits.day,
});
