import { DynamicModule, Module } from '@nestjs/common';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AppConfig } from './config/app-config';
import { AudioAnalysisModule } from './audio-analysis/audio-analysis.module';
import { AuditLogModule } from './audit-log/audit-log.module';
import { AuthModule } from './auth/auth.module';
import { BillingModule } from './billing/billing.module';
import { ConfigModule } from './config/config.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DatabaseModule } from './database/database.module';
import { EventTriggersModule } from './events/event-triggers.module';
import { HealthModule } from './health/health.module';
import { ModelsModule } from './models/models.module';
import { PlansModule } from './plans/plans.module';
import { PlaylistsModule } from './playlists/playlists.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';
import { SecretScanningModule } from './secret-scanning/secret-scanning.module';
import { TracksModule } from './tracks/tracks.module';
import { UsageModule } from './usage/usage.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        RateLimitModule,
        HealthModule,
        PlansModule,
        AuthModule,
        ApiKeysModule,
        TracksModule,
        AudioAnalysisModule,
        PlaylistsModule,
        ModelsModule,
        UsageModule,
        AuditLogModule,
        WebhooksModule,
        SecretScanningModule,
        BillingModule,
        EventTriggersModule,
        DashboardModule,
      ],
    };
  }
}
