import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { runPassportStrategy } from '../common/auth/run-passport-strategy';
import { invalidApiKey } from './api-key-authenticator';
import { ApiKeyStrategy } from './api-key.strategy';
import type { AuthenticatedApiKey } from './authenticated-api-key';

/**
 * A usable API key from an allowed address, attached as `request.apiKey`; else the contract's 401/403.
 * Runs the passport-custom {@link ApiKeyStrategy} itself, on an object of this request's own, without
 * passport's middleware.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly strategy: ApiKeyStrategy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const apiKey = await runPassportStrategy<AuthenticatedApiKey>(this.strategy, request);
    if (apiKey === false) throw invalidApiKey('missing');
    return true;
  }
}
