import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedApiKey } from '../api-keys/authenticated-api-key';
import { CurrentApiKey } from '../api-keys/current-api-key.decorator';
import { Scopes } from '../api-keys/scopes.decorator';
import { RecommendationsQueryDto } from './dto/recommendations-query.dto';
import { RecommendationsResponseDto, TrackResponseDto } from './dto/track-response.dto';
import { TracksService } from './tracks.service';

@ApiTags('catalogue')
@Controller('recommendations')
export class RecommendationsController {
  constructor(private readonly tracks: TracksService) {}

  @Get()
  @Scopes('read:recommendations')
  @ApiOperation({
    summary: 'Your tracks most similar to a seed track (bpm, energy, danceability, valence, genre), seed excluded',
  })
  @ApiNotFoundResponse({ description: 'The seed track is not in your catalogue' })
  async recommend(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Query() query: RecommendationsQueryDto,
  ): Promise<RecommendationsResponseDto> {
    const ranked = await this.tracks.recommend(key.userId, query.seed_track_id, query.limit);
    return {
      seed_track_id: query.seed_track_id,
      data: ranked.map(({ track, similarity }) => ({ ...TrackResponseDto.from(track), similarity })),
    };
  }
}
