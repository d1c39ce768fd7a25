import { DynamicModule, ExecutionContext, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyThrottlerGuard } from './api-key-throttler.guard';
import { ApiKey } from './api-key.entity';
import { ApiKeyStrategy } from './api-key.strategy';
import { RedisModule } from './redis.module';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import type { Settings } from './settings';
import { UsageRecord } from './usage-record.entity';
import { UsageInterceptor } from './usage.interceptor';
import { WhoamiController } from './whoami.controller';

const keyOf = (context: ExecutionContext): ApiKey => context.switchToHttp().getRequest<{ user: ApiKey }>().user;

/** Each window's limit is the key's own, as the service applies them. */
const WINDOWS = [
  { name: 'minute', ttl: 60_000, limit: (context: ExecutionContext) => keyOf(context).rateLimitPerMinute },
  { name: 'hour', ttl: 3_600_000, limit: (context: ExecutionContext) => keyOf(context).rateLimitPerHour },
  { name: 'day', ttl: 86_400_000, limit: (context: ExecutionContext) => keyOf(context).rateLimitPerDay },
];

@Module({})
export class AppModule {
  static forRoot(settings: Settings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RedisModule.forRoot(settings.redisUrl, settings.redisKeyPrefix),
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: settings.databaseUrl,
          entities: [ApiKey, UsageRecord],
          synchronize: true,
          poolSize: 10,
          // As the service: idle connections stay open, so this app's pool closing its connections
          // while the service is measured does not put PostgreSQL backend exits on the shared CPUs.
          extra: { idleTimeoutMillis: 0 },
        }),
        TypeOrmModule.forFeature([ApiKey, UsageRecord]),
        PassportModule,
        ThrottlerModule.forRootAsync({
          inject: [RedisThrottlerStorage],
          useFactory: (storage: RedisThrottlerStorage) => ({ throttlers: WINDOWS, storage }),
        }),
      ],
      controllers: [WhoamiController],
      providers: [ApiKeyStrategy, ApiKeyThrottlerGuard, UsageInterceptor],
    };
  }
}
