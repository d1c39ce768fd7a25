import { Global, Module } from '@nestjs/common';
import { getOptionsToken, getStorageToken, ThrottlerModuleOptions } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AUTH_IP_THROTTLER, IpRateLimitGuard } from './ip-rate-limit.guard';
import { TieredRateLimiter } from './tiered-rate-limiter.service';
import { TieredThrottlerGuard } from './tiered-throttler.guard';
import { TieredThrottlerStorage } from './tiered-throttler.storage';

/**
 * Rate limiting: the tiered per-key limiter and its guard (used by `@Scopes`), and the per-IP
 * limit of the account routes (`@IpRateLimit()`). It provides @nestjs/throttler's options and
 * storage tokens itself so both guards share one storage. Global, so any controller can use the
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
    TieredThrottlerStorage,
    { provide: getStorageToken(), useExisting: TieredThrottlerStorage },
    TieredRateLimiter,
    TieredThrottlerGuard,
    IpRateLimitGuard,
  ],
  exports: [
    getOptionsToken(),
    getStorageToken(),
    TieredThrottlerStorage,
    TieredRateLimiter,
    TieredThrottlerGuard,
    IpRateLimitGuard,
  ],
})
export class RateLimitModule {}
