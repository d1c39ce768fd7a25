import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AnalyticsController } from './analytics.controller';
import { UsageController } from './usage.controller';
import { UsagePartitions } from './usage-partitions';
import { UsageRecorder } from './usage-recorder';
import { UsageRepository } from './usage.repository';
import { UsageService } from './usage.service';

/**
 * Usage rows for every keyed request (recorded off the request path, see {@link UsageRecorder}),
 * their daily partitions, and the two usage endpoints. {@link UsageRepository} owns `api_key_usage`.
 */
@Module({
  imports: [ApiKeysModule],
  controllers: [UsageController, AnalyticsController],
  providers: [UsageRepository, UsagePartitions, UsageRecorder, UsageService],
  exports: [UsageRecorder, UsageRepository],
})
export class UsageModule {}
