import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { REDIS_CONNECTION } from '../redis/redis.module';
import { RedisConnection } from '../redis/redis-connection';
import { DependencyStateDto, ReadinessDto } from './dto/health.dto';

const DATABASE_PING_TIMEOUT_MS = 1000;

@Injectable()
export class HealthService {
  constructor(
    private readonly typeOrm: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectConfig() private readonly config: AppConfig,
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection | null,
  ) {}

  async readiness(): Promise<ReadinessDto> {
    const [database, redis] = await Promise.all([this.database(), this.redisState()]);
    const status = database.status === 'down' ? 'down' : redis.status === 'down' ? 'degraded' : 'ok';
    return { status, checks: { database, redis } };
  }

  private async database(): Promise<DependencyStateDto> {
    const backend = this.config.databaseUrl ? 'postgresql' : 'pglite';
    const result = await this.typeOrm
      .pingCheck('database', { timeout: DATABASE_PING_TIMEOUT_MS })
      .catch(() => undefined);
    return { status: result?.database?.status === 'up' ? 'up' : 'down', backend };
  }

  private async redisState(): Promise<DependencyStateDto> {
    if (!this.redis) return { status: 'embedded', backend: 'in-memory' };
    const backend = this.redis.mode === 'cluster' ? 'redis-cluster' : 'redis';
    const indicator = this.indicators.check('redis');
    const up = await this.redis.ping();
    return { status: (up ? indicator.up() : indicator.down()).redis.status, backend };
  }
}
