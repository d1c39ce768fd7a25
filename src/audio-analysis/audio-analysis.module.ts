import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { Track } from '../tracks/track.entity';
import { AudioAnalysisController } from './audio-analysis.controller';
import { AudioAnalysisPool } from './audio-analysis.pool';
import { AudioAnalysisRepository } from './audio-analysis.repository';
import { AudioAnalysisService } from './audio-analysis.service';
import { registerAudioUploads } from './audio-upload';
import { UploadPacer } from './upload-pacer';

/** `POST /tracks/{id}/audio`: uploaded recordings analysed in a worker-thread pool. */
@Module({
  imports: [TypeOrmModule.forFeature([Track]), ApiKeysModule],
  controllers: [AudioAnalysisController],
  providers: [AudioAnalysisService, AudioAnalysisRepository, AudioAnalysisPool, UploadPacer],
})
export class AudioAnalysisModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    registerAudioUploads(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), this.config.audioMaxBytes);
  }
}
