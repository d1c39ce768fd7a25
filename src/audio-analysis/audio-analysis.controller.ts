import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedApiKey } from '../api-keys/authenticated-api-key';
import { CurrentApiKey } from '../api-keys/current-api-key.decorator';
import { Scopes } from '../api-keys/scopes.decorator';
import { UuidParam } from '../common/http/uuid-param.decorator';
import { AudioFeaturesResponseDto } from '../tracks/dto/audio-features.dto';
import { AudioAnalysisService } from './audio-analysis.service';
import { AUDIO_UPLOAD_ROUTE, FILE_FIELD, MULTIPART_CONTENT_TYPE, WAV_CONTENT_TYPES } from './audio-upload';

const binary = { type: 'string', format: 'binary' } as const;

@ApiTags('catalogue')
@Controller('tracks')
export class AudioAnalysisController {
  constructor(private readonly audio: AudioAnalysisService) {}

  @Post(':id/audio')
  @HttpCode(200)
  @Scopes('write:audio_features')
  @RouteConfig({ [AUDIO_UPLOAD_ROUTE]: true })
  @ApiOperation({ summary: "Analyse a recording of a track: its audio features become the recording's" })
  @ApiConsumes(...WAV_CONTENT_TYPES, MULTIPART_CONTENT_TYPE)
  @ApiBody({
    description:
      'The WAV file itself (8/16/24/32-bit integer PCM or 32-bit float, 8–192 kHz, any channels) ' +
      `or multipart/form-data with one file field \`${FILE_FIELD}\`. At most AUDIO_MAX_BYTES (default 50 MiB).`,
    schema: { oneOf: [binary, { type: 'object', required: [FILE_FIELD], properties: { [FILE_FIELD]: binary } }] },
  })
  @ApiOkResponse({ type: AudioFeaturesResponseDto, description: 'The features measured on the recording' })
  @ApiBadRequestResponse({
    description: 'Empty, truncated or corrupt file ({"error":"Invalid audio file"}), or no multipart field `file`',
  })
  @ApiNotFoundResponse({ description: 'No such track in your catalogue' })
  @ApiPayloadTooLargeResponse({ description: 'The file is larger than AUDIO_MAX_BYTES' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Not a WAV file (MP3 and other formats are not decoded)' })
  @ApiServiceUnavailableResponse({ description: 'Every analysis worker is busy and the queue is full; retry later' })
  async analyze(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @UuidParam() id: string,
    @Req() request: FastifyRequest,
  ): Promise<AudioFeaturesResponseDto> {
    return AudioFeaturesResponseDto.from(await this.audio.analyze(key.userId, id, request));
  }
}
