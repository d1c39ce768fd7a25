import { Controller, Get, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { ApiKeyThrottlerGuard } from './api-key-throttler.guard';
import type { ApiKey } from './api-key.entity';
import { UsageInterceptor } from './usage.interceptor';

/** `GET /whoami` with the service's response shape. */
@Controller()
export class WhoamiController {
  @Get('whoami')
  @UseGuards(AuthGuard('api-key'), ApiKeyThrottlerGuard)
  @UseInterceptors(UsageInterceptor)
  whoami(@Req() request: Request & { user: ApiKey }) {
    const key = request.user;
    return {
      api_key_id: key.id,
      key_prefix: key.keyPrefix,
      name: key.name,
      environment: key.environment,
      scopes: key.scopes,
      plan: key.plan,
      rate_limits: { minute: key.rateLimitPerMinute, hour: key.rateLimitPerHour, day: key.rateLimitPerDay },
      expires_at: key.expiresAt?.toISOString() ?? null,
    };
  }
}
