import type { PlanId } from '../plans/plan.entity';
import type { Scope } from '../plans/scopes';
import type { RateLimits } from '../rate-limit/rate-limits';

/**
 * What the API-key guard attaches to the request (`request.apiKey`) once a key is known and usable.
 * Everything later on the request path (IP check, rate limiter, scope check, usage recording,
 * handlers) reads this; nothing re-queries the database for it.
 */
export interface AuthenticatedApiKey {
  id: string;
  userId: string;
  keyPrefix: string;
  name: string;
  environment: 'development' | 'staging' | 'production';
  /** Scopes on the key. */
  scopes: ReadonlySet<Scope>;
  /** Scopes the owner's current plan grants. */
  planScopes: ReadonlySet<Scope>;
  planId: PlanId;
  /** Effective limits: the key's own values, else the plan's (or the enterprise user's custom ones). */
  limits: RateLimits;
  /** Empty means any address. */
  allowedIps: readonly string[];
  expiresAt: Date | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: AuthenticatedApiKey;
  }
}
