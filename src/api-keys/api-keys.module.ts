import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { UsersModule } from '../users/users.module';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyGenerator } from './api-key-generator';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKey } from './api-key.entity';
import { ApiKeyRouteGuard } from './api-key-route.guard';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyStrategy } from './api-key.strategy';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { ScopesGuard } from './scopes.guard';
import { WhoamiController } from './whoami.controller';

/**
 * Issuing and managing API keys (JWT routes) and authenticating them on API-key routes: import this
 * module wherever a controller uses `@Scopes(...)`. {@link ApiKeysRepository} owns the `api_keys` table.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKey]), UsersModule, EventsModule],
  controllers: [ApiKeysController, WhoamiController],
  providers: [
    ApiKeysRepository,
    ApiKeysService,
    ApiKeyGenerator,
    ApiKeyHasher,
    ApiKeyAuthenticator,
    ApiKeyStrategy,
    ApiKeyGuard,
    ScopesGuard,
    ApiKeyRouteGuard,
  ],
  exports: [
    ApiKeysRepository,
    ApiKeysService,
    ApiKeyGenerator,
    ApiKeyAuthenticator,
    ApiKeyStrategy,
    ApiKeyGuard,
    ScopesGuard,
    ApiKeyRouteGuard,
  ],
})
export class ApiKeysModule {}
