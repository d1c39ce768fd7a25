import type { Page } from '../pagination.js';
import { path, Resource } from '../resource.js';
import type {
  CreatedWebhook,
  CreateWebhookParams,
  ListWebhookDeliveriesParams,
  ListWebhooksParams,
  UpdateWebhookParams,
  Webhook,
  WebhookDelivery,
  WebhookTest,
} from '../types.js';

export class WebhooksResource extends Resource {
  /** `POST /webhooks` (admin:webhooks, Pro+): the answer's `secret` is shown this once. */
  create(params: CreateWebhookParams): Promise<CreatedWebhook> {
    return this.client.post('/webhooks', params);
  }

  /** `GET /webhooks`: the first page; `for await` over it walks every endpoint. */
  list(params: ListWebhooksParams = {}): Promise<Page<Webhook>> {
    return this.client.list('/webhooks', params);
  }

  /** `GET /webhooks/{id}`. */
  get(id: string): Promise<Webhook> {
    return this.client.get(path`/webhooks/${id}`);
  }

  /** `PATCH /webhooks/{id}`: URL, events, description, or `is_active`. */
  update(id: string, changes: UpdateWebhookParams): Promise<Webhook> {
    return this.client.patch(path`/webhooks/${id}`, changes);
  }

  /** `DELETE /webhooks/{id}`. */
  delete(id: string): Promise<void> {
    return this.client.delete(path`/webhooks/${id}`);
  }

  /** `POST /webhooks/{id}/test`: queues a `webhook.test` event for this endpoint only. */
  test(id: string): Promise<WebhookTest> {
    return this.client.post(path`/webhooks/${id}/test`);
  }

  /** `GET /webhooks/{id}/deliveries`: the first page, newest first; iterating walks them all. */
  deliveries(id: string, params: ListWebhookDeliveriesParams = {}): Promise<Page<WebhookDelivery>> {
    return this.client.list(path`/webhooks/${id}/deliveries`, params);
  }
}
