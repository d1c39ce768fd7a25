import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import type { Scope } from '../plans/scopes';
import { RequiredScopes } from './required-scopes';

const insufficient = (required: Scope[], reason: 'missing_scope' | 'plan'): DomainException =>
  new DomainException(ErrorCode.InsufficientPermissions, { extra: { required_scopes: required, reason } });

/**
 * The last check before the handler: each scope the route declares must be on the key (else
 * `missing_scope`) and in the owner's current plan (else `plan`, so a downgrade bites at once).
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.get(RequiredScopes, context.getHandler()) ?? [];
    if (required.length === 0) return true;
    const apiKey = context.switchToHttp().getRequest<FastifyRequest>().apiKey!;
    for (const scope of required) {
      if (!apiKey.scopes.has(scope))
        throw insufficient(
          required.filter((s) => !apiKey.scopes.has(s)),
          'missing_scope',
        );
    }
    for (const scope of required) {
      if (!apiKey.planScopes.has(scope))
        throw insufficient(
          required.filter((s) => !apiKey.planScopes.has(s)),
          'plan',
        );
    }
    return true;
  }
}
