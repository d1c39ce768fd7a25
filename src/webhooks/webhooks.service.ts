import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound, validationFailed } from '../common/errors/domain.exception';
import type { PaginationQueryDto } from '../common/http/pagination-query.dto';
import type { RequestContext } from '../events/event-types';
import { EventsRecorder } from '../events/events-recorder';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { UpdateWebhookDto } from './dto/update-webhook.dto';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { newWebhookSecret } from './webhook-signature';
import { WebhookUrlPolicy, WebhookUrlRefused } from './webhook-url-policy';
import { DeliveryPage, EndpointPage, WebhooksRepository } from './webhooks.repository';

/** An account's webhook endpoints, and the fan-out of every recorded event to them. */
@Injectable()
export class WebhooksService implements OnModuleInit {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly urls: WebhookUrlPolicy,
    private readonly recorder: EventsRecorder,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.recorder.onRecorded(async (manager, event) => {
      if (event.type !== 'webhook.test') await this.repository.fanOut(manager, event);
    });
  }

  async create(userId: string, dto: CreateWebhookDto): Promise<WebhookEndpoint> {
    await this.checkUrl(dto.url);
    return this.repository.createEndpoint({
      userId,
      url: dto.url,
      events: subscriptionOf(dto.events),
      description: dto.description ?? null,
      secret: newWebhookSecret(),
      isActive: true,
    });
  }

  list(userId: string, query: PaginationQueryDto): Promise<EndpointPage> {
    return this.repository.pageEndpoints(userId, query.limit, query.offset);
  }

  async get(userId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.repository.findEndpoint(userId, id);
    if (!endpoint) throw notFound();
    return endpoint;
  }

  async update(userId: string, id: string, dto: UpdateWebhookDto): Promise<WebhookEndpoint> {
    const nulls = (['url', 'events', 'is_active'] as const).filter((field) => dto[field] === null);
    if (nulls.length > 0)
      throw validationFailed(nulls.map((field) => ({ field, message: `${field} must not be null` })));
    await this.get(userId, id);
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    const changes: Partial<WebhookEndpoint> = {};
    if (dto.url !== undefined) changes.url = dto.url;
    if (dto.events !== undefined) changes.events = subscriptionOf(dto.events);
    if (dto.description !== undefined) changes.description = dto.description ?? null;
    if (dto.is_active !== undefined) changes.isActive = dto.is_active;
    if (Object.keys(changes).length > 0 && !(await this.repository.updateEndpoint(userId, id, changes))) {
      throw notFound();
    }
    return this.get(userId, id);
  }

  async remove(userId: string, id: string): Promise<void> {
    if (!(await this.repository.deleteEndpoint(userId, id))) throw notFound();
  }

  /** Records a `webhook.test` event and queues it for this endpoint only. */
  async test(userId: string, id: string, context: RequestContext): Promise<string> {
    const endpoint = await this.get(userId, id);
    return this.dataSource.transaction(async (manager) => {
      const event = await this.recorder.record(manager, {
        userId,
        type: 'webhook.test',
        data: { webhook_id: endpoint.id, url: endpoint.url },
        actor: context.actor,
        ip: context.ip,
      });
      await this.repository.addDelivery(manager, event.id, endpoint.id);
      return event.id;
    });
  }

  async deliveries(userId: string, id: string, query: PaginationQueryDto): Promise<DeliveryPage> {
    await this.get(userId, id);
    return this.repository.pageDeliveries(id, query.limit, query.offset);
  }

  private async checkUrl(url: string): Promise<void> {
    try {
      await this.urls.resolve(url);
    } catch (error) {
      if (error instanceof WebhookUrlRefused) throw validationFailed([{ field: 'url', message: error.message }]);
      throw error;
    }
  }
}

/** `*` subscribes to everything and stands alone; duplicates go. */
function subscriptionOf(events: readonly string[]): string[] {
  const unique = [...new Set(events)];
  if (unique.includes('*') && unique.length > 1) {
    throw validationFailed([{ field: 'events', message: 'events must list event types, or be ["*"] alone' }]);
  }
  return unique;
}
