import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { AccessTokenPayload } from './authenticated-user';
import { PasswordHasher } from './password-hasher';

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly jwt: JwtService,
  ) {}

  async register(email: string, password: string, name?: string): Promise<{ user: User; token: IssuedToken }> {
    const user = await this.users.create({ email, name, passwordHash: await this.passwords.hash(password) });
    return { user, token: await this.issueToken(user) };
  }

  /** One answer for an unknown email and a wrong password, so logins do not reveal accounts. */
  async login(email: string, password: string): Promise<IssuedToken> {
    const user = await this.users.findByEmailWithPasswordHash(email);
    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !valid) throw new DomainException(ErrorCode.InvalidCredentials);
    return this.issueToken(user);
  }

  private async issueToken(user: User): Promise<IssuedToken> {
    const payload: AccessTokenPayload = { sub: user.id };
    return { accessToken: await this.jwt.signAsync(payload), expiresIn: this.config.jwtExpiresInSeconds };
  }
}
