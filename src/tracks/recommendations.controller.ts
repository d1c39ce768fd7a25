import { Controller, Get, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedApiKey } from '../api-keys/authenticated-api-key';
import { CurrentApiKey } from '../api-keys/current-api-key.decorator';
import { Scopes } from '../api-keys/scopes.decorator';
import { ModelsService } from '../models/models.service';
import { RecommendationsQueryDto } from './dto/recommendations-query.dto';
import { RecommendationsResponseDto, TrackResponseDto } from './dto/track-response.dto';
import { TracksService } from './tracks.service';

@ApiTags('catalogue')
@Controller('recommendations')
export class RecommendationsController {
  constructor(
    private readonly tracks: TracksService,
    private readonly models: ModelsService,
  ) {}

  @Get()
  @Scopes('read:recommendations')
  @ApiOperation({
    summary:
      'Your tracks most similar to a seed track (bpm, energy, danceability, valence, genre), seed excluded; ' +
      'with model_id, one of your trained models ranks them',
  })
  @ApiNotFoundResponse({ description: 'The seed track, or the model, is not yours' })
  @ApiConflictResponse({ description: 'The model has not succeeded (queued, running or failed)' })
  async recommend(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Query() query: RecommendationsQueryDto,
  ): Promise<RecommendationsResponseDto> {
    const ranked = query.model_id
      ? await this.models.recommend(
          key.userId,
          query.model_id,
          await this.tracks.get(key.userId, query.seed_track_id),
          query.limit,
        )
      : await this.tracks.recommend(key.userId, query.seed_track_id, query.limit);
    return {
      seed_track_id: query.seed_track_id,
      data: ranked.map(({ track, similarity }) => ({ ...TrackResponseDto.from(track), similarity })),
    };
  }
}
