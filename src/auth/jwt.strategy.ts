import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { runPassportStrategy } from '../common/auth/run-passport-strategy';
import { UsersService } from '../users/users.service';
import type { AccessTokenPayload, AuthenticatedUser } from './authenticated-user';

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
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<AuthenticatedUser | false> {
    const user = typeof payload.sub === 'string' ? await this.users.findById(payload.sub) : null;
    return user ? { id: user.id, email: user.email, role: user.role } : false;
  }

  /** The request's user, or `false` for a missing, invalid or expired token; rejects on other errors. */
  authenticateRequest(request: object): Promise<AuthenticatedUser | false> {
    return runPassportStrategy<AuthenticatedUser>(this, request);
  }
}
