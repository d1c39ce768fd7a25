import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { RateLimitDecision, TieredRateLimiter, WindowState } from './tiered-rate-limiter.service';

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
 * Per-API-key tiered limits. Runs after the API-key guard (which sets `request.apiKey` with the
 * key's effective limits) and before the scope check. ThrottlerGuard's own loop makes one storage
 * call per window; this guard decides all three windows with one call instead, and puts the limit
 * headers on the reply before anything can fail, so error responses carry them too.
 */
@Injectable()
export class TieredThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly limiter: TieredRateLimiter,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const { req, res } = this.getRequestResponse(context);
    const apiKey = (req as FastifyRequest).apiKey;
    // Only reachable without a key on a route that has no API-key guard: nothing to limit.
    if (!apiKey) return true;
    const decision = await this.limiter.consume(apiKey.id, apiKey.limits);
    (res as FastifyReply).headers(decision.headers);
    if (!decision.allowed) throw rateLimitExceeded(decision);
    return true;
  }
}
