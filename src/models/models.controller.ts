import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { AuthenticatedApiKey } from '../api-keys/authenticated-api-key';
import { CurrentApiKey } from '../api-keys/current-api-key.decorator';
import { Scopes } from '../api-keys/scopes.decorator';
import { PaginationQueryDto } from '../common/http/pagination-query.dto';
import { UuidParam } from '../common/http/uuid-param.decorator';
import { ModelJobListResponseDto, ModelJobResponseDto } from './dto/model-job-response.dto';
import { TrainModelDto } from './dto/train-model.dto';
import { ModelsService } from './models.service';

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Post('train')
  @HttpCode(202)
  @Scopes('train:models')
  @ApiOperation({
    summary:
      'Queue training of a model on your playlists (co-occurrence blended with audio features); poll GET /models/{id}',
  })
  @ApiAcceptedResponse({ type: ModelJobResponseDto, description: 'The queued job' })
  @ApiConflictResponse({ description: 'You already have a job queued or running' })
  @ApiUnprocessableEntityResponse({ description: 'Not enough training data (fewer than 2 playlists of 2+ tracks)' })
  async train(@CurrentApiKey() key: AuthenticatedApiKey, @Body() dto: TrainModelDto): Promise<ModelJobResponseDto> {
    return ModelJobResponseDto.from(await this.models.train(key.userId, dto.name ?? null));
  }

  @Get()
  @Scopes('train:models')
  @ApiOperation({ summary: 'Your training jobs (models), newest first' })
  async list(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Query() query: PaginationQueryDto,
  ): Promise<ModelJobListResponseDto> {
    const page = await this.models.list(key.userId, query.limit, query.offset);
    return {
      data: page.data.map((job) => ModelJobResponseDto.from(job)),
      total: page.total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  @Get(':id')
  @Scopes('train:models')
  @ApiOperation({ summary: 'One training job: status, progress, metrics' })
  @ApiNotFoundResponse({ description: 'No such job of yours' })
  async get(@CurrentApiKey() key: AuthenticatedApiKey, @UuidParam() id: string): Promise<ModelJobResponseDto> {
    return ModelJobResponseDto.from(await this.models.get(key.userId, id));
  }
}
