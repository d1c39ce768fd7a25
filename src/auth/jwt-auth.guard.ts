import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import type { UserRole } from '../users/user.entity';
import type { AuthenticatedUser } from './authenticated-user';
import { JWT_STRATEGY } from './jwt.strategy';

/** The role a route requires beyond a valid JWT (set by `@Authenticated({ role })`). */
export const RequiredRole = Reflector.createDecorator<UserRole>();

/** A valid JWT (else the contract's 401), then the route's required role if any (else 403). */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const role = this.reflector.getAllAndOverride(RequiredRole, [context.getHandler(), context.getClass()]);
    const user = context.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user;
    if (role && user.role !== role) throw new DomainException(ErrorCode.AdminOnly);
    return true;
  }

  override handleRequest<TUser = AuthenticatedUser>(error: unknown, user: TUser | false): TUser {
    if (error || !user) throw new DomainException(ErrorCode.InvalidToken);
    return user;
  }
}
