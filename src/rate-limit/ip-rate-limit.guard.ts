import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';

/** Name of the per-IP throttler (AUTH_RATE_LIMIT_PER_MINUTE a minute) in the throttler options. */
export const AUTH_IP_THROTTLER = 'auth';

/**
 * @nestjs/throttler's own guard over our counters (ThrottlerStorageAdapter) for the account routes:
 * one minute window per client IP (`request.ip`, so `TRUST_PROXY` applies), shared by every route that uses it.
 */
@Injectable()
export class IpRateLimitGuard extends ThrottlerGuard {
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return `auth:${tracker}`;
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new DomainException(ErrorCode.TooManyRequests, {
      headers: { 'Retry-After': String(detail.timeToBlockExpire) },
    });
  }
}
