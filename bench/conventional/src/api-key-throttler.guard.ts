import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ApiKey } from './api-key.entity';

/** Counts requests per API key (passport put the key on `request.user`) rather than per client IP. */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve((request.user as ApiKey).id);
  }
}
