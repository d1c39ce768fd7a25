import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { ModelJobRunner } from './model-job-runner';
import { ModelJob } from './model-job.entity';
import { ModelsController } from './models.controller';
import { ModelsRepository } from './models.repository';
import { ModelsService } from './models.service';

/** Models trained on each account's playlists (scope train:models, Pro+), and their job runner. */
@Module({
  imports: [TypeOrmModule.forFeature([ModelJob]), ApiKeysModule],
  controllers: [ModelsController],
  providers: [ModelsRepository, ModelsService, ModelJobRunner],
  exports: [ModelsService],
})
export class ModelsModule {}
