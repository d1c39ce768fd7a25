import { RATE_LIMIT_WINDOWS, RateLimits, RateLimitSettings } from '../rate-limit/rate-limits';

/**
 * The limits a key actually runs with. On a plan with fixed limits a key's own value can only
 * lower the plan's (so a downgrade lowers every key at once); where the owner's limits are custom
 * (enterprise) the key's own value stands.
 */
export function effectiveLimits(own: RateLimitSettings, owner: RateLimits, customPlan: boolean): RateLimits {
  const limits = { ...owner };
  for (const window of RATE_LIMIT_WINDOWS) {
    const value = own[window];
    if (value !== null) limits[window] = customPlan ? value : Math.min(value, owner[window]);
  }
  return limits;
}
