import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import type { UserRole } from '../users/user.entity';
import type { AuthenticatedUser } from './authenticated-user';
import { JwtStrategy } from './jwt.strategy';

/** The role a route requires beyond a valid JWT (set by `@Authenticated({ role })`). */
export const RequiredRole = Reflector.createDecorator<UserRole>();

/**
 * A valid JWT (else the contract's 401), then the route's required role if any (else 403).
 * It runs this application's strategy instance, not one looked up by name in passport's
 * process-wide registry, so several applications in one process (tests) never borrow each other's.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly strategy: JwtStrategy,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>();
    const user = await this.strategy.authenticateRequest(request);
    if (!user) throw new DomainException(ErrorCode.InvalidToken);
    request.user = user;
    const role = this.reflector.getAllAndOverride(RequiredRole, [context.getHandler(), context.getClass()]);
    if (role && user.role !== role) throw new DomainException(ErrorCode.AdminOnly);
    return true;
  }
}
