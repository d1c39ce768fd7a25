import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiKeyStrategy } from './api-key.strategy';

/**
 * A usable API key from an allowed address, attached as `request.apiKey`; else the contract's 401/403.
 * Calls this application's strategy's verify step itself rather than through `passport.authenticate`:
 * given a strategy instance, passport augments that one shared object with the request's
 * success/fail callbacks, so concurrent requests took each other's (a 500 on `/whoami` with no
 * `request.apiKey`, and requests left unanswered, under load in `npm run bench`); and its
 * per-request dispatch cost ~30 µs of CPU and most of the keyed path's garbage.
 */
@Injectable()
export class ApiKeyAuthGuard implements CanActivate {
  constructor(private readonly strategy: ApiKeyStrategy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await this.strategy.validate(request);
    return true;
  }
}
