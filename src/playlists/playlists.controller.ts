import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedApiKey } from '../api-keys/authenticated-api-key';
import { CurrentApiKey } from '../api-keys/current-api-key.decorator';
import { Scopes } from '../api-keys/scopes.decorator';
import { PaginationQueryDto } from '../common/http/pagination-query.dto';
import { UuidParam } from '../common/http/uuid-param.decorator';
import { AddPlaylistTracksDto } from './dto/add-playlist-tracks.dto';
import { CreatePlaylistDto } from './dto/create-playlist.dto';
import { PlaylistListResponseDto, PlaylistResponseDto, PlaylistSummaryDto } from './dto/playlist-response.dto';
import { UpdatePlaylistDto } from './dto/update-playlist.dto';
import { PlaylistsService, PlaylistWithTracks } from './playlists.service';

const NOT_FOUND = 'No such playlist (or track) in your catalogue; nothing was changed';
const DUPLICATE = 'A track is already in the playlist (or given twice); nothing was added';
const TOO_MANY = 'Validation failed, or the playlist would hold more than 10,000 tracks; nothing was added';

const answer = ({ counted, tracks }: PlaylistWithTracks): PlaylistResponseDto =>
  PlaylistResponseDto.withTracks(counted, tracks);

@ApiTags('playlists')
@Controller('playlists')
export class PlaylistsController {
  constructor(private readonly playlists: PlaylistsService) {}

  @Get()
  @Scopes('read:playlists')
  @ApiOperation({ summary: 'Your playlists, newest first (without their tracks)' })
  async list(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Query() query: PaginationQueryDto,
  ): Promise<PlaylistListResponseDto> {
    const page = await this.playlists.list(key.userId, query.limit, query.offset);
    return {
      data: page.data.map((playlist) => PlaylistSummaryDto.from(playlist)),
      total: page.total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  @Get(':id')
  @Scopes('read:playlists')
  @ApiOperation({ summary: 'One of your playlists with its tracks in order' })
  @ApiNotFoundResponse({ description: 'No such playlist in your catalogue' })
  async get(@CurrentApiKey() key: AuthenticatedApiKey, @UuidParam() id: string): Promise<PlaylistResponseDto> {
    return answer(await this.playlists.get(key.userId, id));
  }

  @Post()
  @Scopes('write:playlists')
  @ApiOperation({ summary: 'Make a playlist, optionally with tracks' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiConflictResponse({ description: DUPLICATE })
  @ApiBadRequestResponse({ description: TOO_MANY })
  async create(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Body() dto: CreatePlaylistDto,
  ): Promise<PlaylistResponseDto> {
    return answer(await this.playlists.create(key.userId, dto));
  }

  @Patch(':id')
  @Scopes('write:playlists')
  @ApiOperation({ summary: 'Rename a playlist or change its description' })
  @ApiNotFoundResponse({ description: 'No such playlist in your catalogue' })
  async update(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @UuidParam() id: string,
    @Body() dto: UpdatePlaylistDto,
  ): Promise<PlaylistResponseDto> {
    return answer(await this.playlists.update(key.userId, id, dto));
  }

  @Post(':id/tracks')
  @HttpCode(200)
  @Scopes('write:playlists')
  @ApiOperation({ summary: 'Insert tracks at a position (default the end); to move one, remove and insert it' })
  @ApiOkResponse({ type: PlaylistResponseDto, description: 'The playlist after the insertion' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiConflictResponse({ description: DUPLICATE })
  @ApiBadRequestResponse({ description: TOO_MANY })
  async addTracks(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @UuidParam() id: string,
    @Body() dto: AddPlaylistTracksDto,
  ): Promise<PlaylistResponseDto> {
    return answer(await this.playlists.addTracks(key.userId, id, dto.track_ids, dto.position));
  }

  @Delete(':id/tracks/:track_id')
  @Scopes('write:playlists')
  @ApiOperation({ summary: 'Take a track out of a playlist (the tracks after it move up)' })
  @ApiNotFoundResponse({ description: 'No such playlist, or the track is not in it' })
  async removeTrack(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @UuidParam() id: string,
    @UuidParam('track_id') trackId: string,
  ): Promise<PlaylistResponseDto> {
    return answer(await this.playlists.removeTrack(key.userId, id, trackId));
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes('delete:playlists')
  @ApiOperation({ summary: 'Delete a playlist (its tracks stay in your catalogue)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such playlist in your catalogue' })
  async remove(@CurrentApiKey() key: AuthenticatedApiKey, @UuidParam() id: string): Promise<void> {
    await this.playlists.remove(key.userId, id);
  }
}
