import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { createClient, RedisClientType } from 'redis';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { REDIS_CLIENT, REDIS_KEY_PREFIX } from './redis.tokens';

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClientType) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}

/** One node-redis client and the throttler storage built on it, visible app-wide. */
@Global()
@Module({})
export class RedisModule {
  static forRoot(redisUrl: string, keyPrefix: string): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS_CLIENT,
          useFactory: async () => {
            const client = createClient({ url: redisUrl });
            await client.connect();
            return client;
          },
        },
        { provide: REDIS_KEY_PREFIX, useValue: keyPrefix },
        RedisCloser,
        RedisThrottlerStorage,
      ],
      exports: [RedisThrottlerStorage],
    };
  }
}
