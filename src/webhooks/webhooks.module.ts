import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { EventsModule } from '../events/events.module';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookSender } from './webhook-sender';
import { WebhookUrlPolicy } from './webhook-url-policy';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Standard Webhooks: endpoints (API-key routes, Pro+), fan-out of every event, and the dispatcher. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery]), ApiKeysModule, EventsModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhooksRepository, WebhookUrlPolicy, WebhookSender, WebhookDispatcher],
})
export class WebhooksModule {}
