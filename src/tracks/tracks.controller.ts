import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedApiKey } from '../api-keys/authenticated-api-key';
import { CurrentApiKey } from '../api-keys/current-api-key.decorator';
import { Scopes } from '../api-keys/scopes.decorator';
import { UuidParam } from '../common/http/uuid-param.decorator';
import { AudioFeaturesDto, AudioFeaturesResponseDto } from './dto/audio-features.dto';
import { CreateTrackDto } from './dto/create-track.dto';
import { ListTracksQueryDto } from './dto/list-tracks-query.dto';
import { TrackListResponseDto, TrackResponseDto } from './dto/track-response.dto';
import { UpdateTrackDto } from './dto/update-track.dto';
import { TracksService } from './tracks.service';

@ApiTags('catalogue')
@Controller('tracks')
export class TracksController {
  constructor(private readonly tracks: TracksService) {}

  @Get()
  @Scopes('read:tracks')
  @ApiOperation({ summary: 'Your tracks, newest first (search with q)' })
  async list(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Query() query: ListTracksQueryDto,
  ): Promise<TrackListResponseDto> {
    const page = await this.tracks.list(key.userId, query);
    return {
      data: page.data.map((track) => TrackResponseDto.from(track)),
      total: page.total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  @Post()
  @Scopes('write:tracks')
  @ApiOperation({ summary: 'Add a track' })
  async create(@CurrentApiKey() key: AuthenticatedApiKey, @Body() dto: CreateTrackDto): Promise<TrackResponseDto> {
    return TrackResponseDto.from(await this.tracks.create(key.userId, dto));
  }

  @Get(':id')
  @Scopes('read:tracks')
  @ApiOperation({ summary: 'One of your tracks' })
  @ApiNotFoundResponse({ description: 'No such track in your catalogue' })
  async get(@CurrentApiKey() key: AuthenticatedApiKey, @UuidParam() id: string): Promise<TrackResponseDto> {
    return TrackResponseDto.from(await this.tracks.get(key.userId, id));
  }

  @Patch(':id')
  @Scopes('write:tracks')
  @ApiOperation({ summary: 'Change a track' })
  @ApiNotFoundResponse({ description: 'No such track in your catalogue' })
  async update(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @UuidParam() id: string,
    @Body() dto: UpdateTrackDto,
  ): Promise<TrackResponseDto> {
    return TrackResponseDto.from(await this.tracks.update(key.userId, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes('delete:tracks')
  @ApiOperation({ summary: 'Delete a track' })
  @ApiNotFoundResponse({ description: 'No such track in your catalogue' })
  async remove(@CurrentApiKey() key: AuthenticatedApiKey, @UuidParam() id: string): Promise<void> {
    await this.tracks.remove(key.userId, id);
  }

  @Get(':id/audio-features')
  @Scopes('read:audio_features')
  @ApiOperation({ summary: "A track's audio features (null where unknown)" })
  @ApiNotFoundResponse({ description: 'No such track in your catalogue' })
  async features(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @UuidParam() id: string,
  ): Promise<AudioFeaturesResponseDto> {
    return AudioFeaturesResponseDto.from(await this.tracks.get(key.userId, id));
  }

  @Put(':id/audio-features')
  @Scopes('write:audio_features')
  @ApiOperation({ summary: "Set a track's audio features (all of them: one left out becomes unknown)" })
  @ApiNotFoundResponse({ description: 'No such track in your catalogue' })
  async setFeatures(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @UuidParam() id: string,
    @Body() dto: AudioFeaturesDto,
  ): Promise<AudioFeaturesResponseDto> {
    return AudioFeaturesResponseDto.from(await this.tracks.setFeatures(key.userId, id, dto));
  }
}
