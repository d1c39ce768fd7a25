import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { notFound } from '../common/errors/domain.exception';
import { UserResponseDto } from '../users/dto/user-response.dto';
import { UsersService } from '../users/users.service';
import { AuthService, IssuedToken } from './auth.service';
import { Authenticated, CurrentUser } from './authenticated.decorator';
import type { AuthenticatedUser } from './authenticated-user';
import { AccessTokenDto } from './dto/access-token.dto';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { RegisterResponseDto } from './dto/register-response.dto';
import { RateLimitByClientIp } from '../rate-limit/rate-limit-by-client-ip.decorator';

const toAccessTokenDto = (token: IssuedToken): AccessTokenDto => ({
  access_token: token.accessToken,
  token_type: 'Bearer',
  expires_in: token.expiresIn,
});

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  /** Creates an account on the free plan and logs it in. */
  @Post('register')
  @RateLimitByClientIp()
  @ApiBadRequestResponse({
    description: 'Invalid email, password under 10 characters, or an unknown field (`details` says which)',
  })
  @ApiConflictResponse({
    description: 'Email already registered',
    schema: { example: { error: 'Email already registered' } },
  })
  async register(@Body() body: RegisterDto): Promise<RegisterResponseDto> {
    const { user, token } = await this.auth.register(body.email, body.password, body.name);
    return { user: UserResponseDto.from(user), ...toAccessTokenDto(token) };
  }

  /** Exchanges email and password for an access token. */
  @Post('login')
  @RateLimitByClientIp()
  @HttpCode(HttpStatus.OK)
  @ApiBadRequestResponse({ description: 'Missing or mistyped field, or an unknown one (`details` says which)' })
  @ApiUnauthorizedResponse({
    description: 'Wrong email or password',
    schema: { example: { error: 'Invalid email or password' } },
  })
  async login(@Body() body: LoginDto): Promise<AccessTokenDto> {
    return toAccessTokenDto(await this.auth.login(body.email, body.password));
  }

  /** The logged-in account. */
  @Get('me')
  @Authenticated()
  async me(@CurrentUser() current: AuthenticatedUser): Promise<UserResponseDto> {
    const user = await this.users.findById(current.id);
    if (!user) throw notFound();
    return UserResponseDto.from(user);
  }
}
