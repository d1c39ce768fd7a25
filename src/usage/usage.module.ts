import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from '../api-keys/api-key.entity';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AnalyticsController } from './analytics.controller';
import { UsageController } from './usage.controller';
import { UsagePartitions } from './usage-partitions';
import { UsageRecorder } from './usage-recorder';
import { UsageService } from './usage.service';

/**
 * Usage rows for every keyed request (recorded off the request path, see {@link UsageRecorder}),
 * their daily partitions, and the two usage endpoints.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKey]), ApiKeysModule],
  controllers: [UsageController, AnalyticsController],
  providers: [UsagePartitions, UsageRecorder, UsageService],
  exports: [UsageRecorder],
})
export class UsageModule {}
