import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { ApiKeyAuthGuard } from './api-key-auth.guard';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyGenerator } from './api-key-generator';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKey } from './api-key.entity';
import { ApiKeyStrategy } from './api-key.strategy';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { ScopesGuard } from './scopes.guard';
import { WhoamiController } from './whoami.controller';

/**
 * Issuing and managing API keys (JWT routes) and authenticating them on catalogue routes: import
 * this module wherever a controller uses `@Scopes(...)`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKey]), PassportModule, UsersModule],
  controllers: [ApiKeysController, WhoamiController],
  providers: [
    ApiKeysService,
    ApiKeyGenerator,
    ApiKeyHasher,
    ApiKeyAuthenticator,
    ApiKeyStrategy,
    ApiKeyAuthGuard,
    ScopesGuard,
  ],
  exports: [ApiKeysService, ApiKeyAuthenticator, ApiKeyStrategy, ApiKeyAuthGuard, ScopesGuard],
})
export class ApiKeysModule {}
