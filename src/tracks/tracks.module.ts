import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { ModelsModule } from '../models/models.module';
import { RecommendationsController } from './recommendations.controller';
import { Track } from './track.entity';
import { TracksController } from './tracks.controller';
import { TracksRepository } from './tracks.repository';
import { TracksService } from './tracks.service';

/** The catalogue behind API keys: tracks, their audio features, and recommendations. */
@Module({
  imports: [TypeOrmModule.forFeature([Track]), ApiKeysModule, ModelsModule],
  controllers: [TracksController, RecommendationsController],
  providers: [TracksRepository, TracksService],
})
export class TracksModule {}
