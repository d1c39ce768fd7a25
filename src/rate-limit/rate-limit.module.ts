import { Global, Module } from '@nestjs/common';
import { getOptionsToken, getStorageToken, ThrottlerModuleOptions } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ApiKeyRateLimitGuard } from './api-key-rate-limit.guard';
import { FailoverRateLimitStore } from './failover-rate-limit.store';
import { AUTH_IP_THROTTLER, IpRateLimitGuard } from './ip-rate-limit.guard';
import { RateLimiter } from './rate-limiter.service';
import { ThrottlerStorageAdapter } from './throttler-storage.adapter';

/**
 * Rate limiting: the per-key limiter and its guard (used by `@Scopes`), and the per-IP limit of the
 * account routes (`@RateLimitByClientIp()`), both counting in one {@link FailoverRateLimitStore}. It
 * provides @nestjs/throttler's options and storage tokens itself. Global, so any controller can use the
 * guards; it depends only on config and Redis, so importing it creates no cycle.
 */
@Global()
@Module({
  providers: [
    {
      provide: getOptionsToken(),
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): ThrottlerModuleOptions => ({
        throttlers: [{ name: AUTH_IP_THROTTLER, ttl: 60_000, limit: config.authRateLimitPerMinute }],
        setHeaders: false,
      }),
    },
    FailoverRateLimitStore,
    ThrottlerStorageAdapter,
    { provide: getStorageToken(), useExisting: ThrottlerStorageAdapter },
    RateLimiter,
    ApiKeyRateLimitGuard,
    IpRateLimitGuard,
  ],
  exports: [
    getOptionsToken(),
    getStorageToken(),
    FailoverRateLimitStore,
    RateLimiter,
    ApiKeyRateLimitGuard,
    IpRateLimitGuard,
  ],
})
export class RateLimitModule {}
