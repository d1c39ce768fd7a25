import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EventBus, InProcessEventBus, RedisEventBus } from './event-bus';
import { RedisConnection } from './redis-connection';

/** How long start-up waits for Redis before going on degraded. */
const STARTUP_CONNECT_WAIT_MS = 2000;

/** The shared Redis connection, or `null` on the embedded defaults (no REDIS_URL / REDIS_CLUSTER_NODES). */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');
export const InjectRedis = (): ParameterDecorator => Inject(REDIS_CONNECTION);

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CONNECTION) private readonly connection: RedisConnection | null,
    private readonly events: EventBus,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
    await this.connection?.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CONNECTION,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<RedisConnection | null> => {
        const logger = new Logger('Redis');
        if (!config.redisUrl && !config.redisClusterNodes?.length) {
          logger.log('No REDIS_URL: using in-process rate-limit counters and events (single instance only)');
          return null;
        }
        const connection = RedisConnection.create(config);
        logger.log(
          `Using Redis ${connection.mode === 'cluster' ? `cluster ${config.redisClusterNodes!.join(',')}` : 'from REDIS_URL'}`,
        );
        await connection.connect(STARTUP_CONNECT_WAIT_MS);
        return connection;
      },
    },
    {
      provide: EventBus,
      inject: [REDIS_CONNECTION],
      useFactory: (connection: RedisConnection | null): EventBus =>
        connection ? new RedisEventBus(connection) : new InProcessEventBus(),
    },
    RedisLifecycle,
  ],
  exports: [REDIS_CONNECTION, EventBus],
})
export class RedisModule {}
