import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { UsageAlerts } from '../events/usage-alerts';
import { RateLimitDecision, RateLimiter, WindowState } from './rate-limiter.service';

const windowInfo = ({ limit, remaining, resetAt }: WindowState) => ({ limit, remaining, reset_at: resetAt });

/** The guide's 429 body, with `Retry-After`. */
export function rateLimitExceeded(decision: RateLimitDecision): DomainException {
  const refusedBy = decision.refusedBy!;
  const { minute, hour, day } = decision.windows;
  return new DomainException(ErrorCode.RateLimitExceeded, {
    extra: {
      window: refusedBy.window,
      reset_at: refusedBy.resetAt,
      rate_limit_info: { minute: windowInfo(minute), hour: windowInfo(hour), day: windowInfo(day) },
    },
    headers: { 'Retry-After': String(decision.retryAfterSeconds) },
  });
}

/**
 * The per-key limits of an API-key route: runs after the key guard (which sets `request.apiKey` with
 * the key's effective limits) and before the scope check, decides all three windows in one store call,
 * and puts the limit headers on the reply before anything can fail, so error responses carry them too.
 */
@Injectable()
export class ApiKeyRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly alerts: UsageAlerts,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const apiKey = request.apiKey;
    // Only reachable without a key on a route that has no API-key guard: nothing to limit.
    if (!apiKey) return true;
    const decision = await this.limiter.consume(apiKey.id, apiKey.limits);
    http.getResponse<FastifyReply>().headers(decision.headers);
    this.alerts.observe(apiKey, decision, request.ip);
    if (!decision.allowed) throw rateLimitExceeded(decision);
    return true;
  }
}
