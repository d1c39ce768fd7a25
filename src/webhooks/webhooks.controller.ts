import { Body, Controller, Delete, Get, Header, HttpCode, Ip, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedApiKey } from '../api-keys/authenticated-api-key';
import { CurrentApiKey } from '../api-keys/current-api-key.decorator';
import { Scopes } from '../api-keys/scopes.decorator';
import { PaginationQueryDto } from '../common/http/pagination-query.dto';
import { UuidParam } from '../common/http/uuid-param.decorator';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { UpdateWebhookDto } from './dto/update-webhook.dto';
import {
  CreatedWebhookResponseDto,
  WebhookDeliveryDto,
  WebhookDeliveryListResponseDto,
  WebhookListResponseDto,
  WebhookResponseDto,
  WebhookTestResponseDto,
} from './dto/webhook-response.dto';
import { WebhooksService } from './webhooks.service';

const NOT_FOUND = 'No such webhook endpoint in your account';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Scopes('admin:webhooks')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Register an endpoint; the response shows its signing secret, once' })
  @ApiBadRequestResponse({ description: 'Invalid fields, or a URL the rules refuse (scheme, non-public address)' })
  async create(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Body() dto: CreateWebhookDto,
  ): Promise<CreatedWebhookResponseDto> {
    const endpoint = await this.webhooks.create(key.userId, dto);
    return { ...WebhookResponseDto.from(endpoint), secret: endpoint.secret };
  }

  @Get()
  @Scopes('admin:webhooks')
  @ApiOperation({ summary: 'Your endpoints, newest first' })
  async list(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Query() query: PaginationQueryDto,
  ): Promise<WebhookListResponseDto> {
    const page = await this.webhooks.list(key.userId, query);
    return {
      data: page.data.map((endpoint) => WebhookResponseDto.from(endpoint)),
      total: page.total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  @Get(':id')
  @Scopes('admin:webhooks')
  @ApiOperation({ summary: 'One endpoint' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async get(@CurrentApiKey() key: AuthenticatedApiKey, @UuidParam() id: string): Promise<WebhookResponseDto> {
    return WebhookResponseDto.from(await this.webhooks.get(key.userId, id));
  }

  @Patch(':id')
  @Scopes('admin:webhooks')
  @ApiOperation({ summary: 'Change an endpoint (URL, events, description, paused or not)' })
  @ApiBadRequestResponse({ description: 'Invalid fields, or a URL the rules refuse' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async update(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @UuidParam() id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookResponseDto> {
    return WebhookResponseDto.from(await this.webhooks.update(key.userId, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes('admin:webhooks')
  @ApiOperation({ summary: 'Delete an endpoint and its deliveries' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async remove(@CurrentApiKey() key: AuthenticatedApiKey, @UuidParam() id: string): Promise<void> {
    await this.webhooks.remove(key.userId, id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @Scopes('admin:webhooks')
  @ApiOperation({ summary: 'Send a `webhook.test` event to this endpoint only' })
  @ApiAcceptedResponse({ type: WebhookTestResponseDto, description: 'Queued for delivery' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async test(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @UuidParam() id: string,
    @Ip() ip: string,
  ): Promise<WebhookTestResponseDto> {
    const eventId = await this.webhooks.test(key.userId, id, { actor: { type: 'api_key', id: key.id }, ip });
    return { event_id: eventId };
  }

  @Get(':id/deliveries')
  @Scopes('admin:webhooks')
  @ApiOperation({ summary: "The endpoint's deliveries, newest first" })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async deliveries(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @UuidParam() id: string,
    @Query() query: PaginationQueryDto,
  ): Promise<WebhookDeliveryListResponseDto> {
    const page = await this.webhooks.deliveries(key.userId, id, query);
    return {
      data: page.data.map((delivery) => WebhookDeliveryDto.from(delivery)),
      total: page.total,
      limit: query.limit,
      offset: query.offset,
    };
  }
}
