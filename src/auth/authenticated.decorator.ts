import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ERROR_DEFINITIONS, ErrorCode } from '../common/errors/error-code.enum';
import { JWT_SECURITY } from '../common/http/swagger';
import type { UserRole } from '../users/user.entity';
import type { AuthenticatedUser } from './authenticated-user';
import { JwtAuthGuard, RequiredRole } from './jwt-auth.guard';

export interface AuthenticatedOptions {
  /** Also require this role (`admin` for operator routes): otherwise `403`. */
  role?: UserRole;
}

const errorExample = (code: ErrorCode) => ({ example: { error: ERROR_DEFINITIONS[code].message } });

/**
 * A dashboard route: needs `Authorization: Bearer <JWT>` from /auth/login (an API key is refused),
 * and optionally a role. Guard and Swagger documentation in one.
 */
export function Authenticated(options: AuthenticatedOptions = {}): MethodDecorator & ClassDecorator {
  const decorators = [
    UseGuards(JwtAuthGuard),
    ApiBearerAuth(JWT_SECURITY),
    ApiUnauthorizedResponse({
      description: 'Missing, invalid or expired JWT',
      schema: errorExample(ErrorCode.InvalidToken),
    }),
  ];
  if (options.role) {
    decorators.push(
      RequiredRole(options.role),
      ApiForbiddenResponse({
        description: `The user's role is not ${options.role}`,
        schema: errorExample(ErrorCode.AdminOnly),
      }),
    );
  }
  return applyDecorators(...decorators);
}

/** The user of the route's JWT (only on `@Authenticated()` routes). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser =>
    context.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user,
);
