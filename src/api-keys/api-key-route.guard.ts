import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiKeyRateLimitGuard } from '../rate-limit/api-key-rate-limit.guard';
import { ApiKeyGuard } from './api-key.guard';
import { ScopesGuard } from './scopes.guard';

/**
 * The checks of an API-key route as one Nest guard, in the contract's order: the key
 * ({@link ApiKeyGuard}), its rate limits ({@link ApiKeyRateLimitGuard}), the route's scopes
 * ({@link ScopesGuard}). Those classes decide; this one only chains them, because Nest awaits each
 * guard of a route in turn and one guard spares every keyed request two of those rounds.
 */
@Injectable()
export class ApiKeyRouteGuard implements CanActivate {
  constructor(
    private readonly key: ApiKeyGuard,
    private readonly limits: ApiKeyRateLimitGuard,
    private readonly scopes: ScopesGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    return (
      (await this.key.canActivate(context)) &&
      (await this.limits.canActivate(context)) &&
      this.scopes.canActivate(context)
    );
  }
}
