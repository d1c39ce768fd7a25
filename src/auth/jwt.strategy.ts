import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { isUUID } from 'class-validator';
import type { IncomingMessage } from 'node:http';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { runPassportStrategy } from '../common/auth/run-passport-strategy';
import { UsersService } from '../users/users.service';
import type { AccessTokenPayload, AuthenticatedUser } from './authenticated-user';

/** Exactly `Bearer <one JWT>`: passport-jwt's own extractor takes the first word and ignores the rest. */
const BEARER_JWT = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/i;
const bearerJwt = (request: IncomingMessage): string | null =>
  BEARER_JWT.exec(request.headers.authorization ?? '')?.[1] ?? null;

/**
 * Verifies the bearer JWT (signature, expiry) and loads its user, so a deleted account or a
 * changed role takes effect on the next request rather than when the token expires.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @InjectConfig() config: AppConfig,
    private readonly users: UsersService,
  ) {
    super({
      jwtFromRequest: bearerJwt,
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<AuthenticatedUser | false> {
    // Signed by us, yet only a UUID subject is looked up: anything else would reach PostgreSQL's uuid cast.
    const user = typeof payload.sub === 'string' && isUUID(payload.sub) ? await this.users.findById(payload.sub) : null;
    return user ? { id: user.id, email: user.email, role: user.role } : false;
  }

  /** The request's user, or `false` for a missing, invalid or expired token; rejects on other errors. */
  authenticateRequest(request: object): Promise<AuthenticatedUser | false> {
    return runPassportStrategy<AuthenticatedUser>(this, request);
  }
}
