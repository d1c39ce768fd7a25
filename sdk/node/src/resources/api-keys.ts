import type { Page } from '../pagination.js';
import { path, Resource } from '../resource.js';
import type {
  ApiKey,
  CreateApiKeyParams,
  CreatedApiKey,
  KeyUsage,
  KeyUsageParams,
  ListApiKeysParams,
  RotateApiKeyParams,
  RotatedApiKey,
  UpdateApiKeyParams,
} from '../types.js';

export class ApiKeysResource extends Resource {
  /** `POST /api-keys`: the answer's `api_key` is the only time the full key is shown. */
  create(params: CreateApiKeyParams): Promise<CreatedApiKey> {
    return this.client.post('/api-keys', params);
  }

  /** `GET /api-keys`: the first page, newest first; `for await` over it walks every key. */
  list(params: ListApiKeysParams = {}): Promise<Page<ApiKey>> {
    return this.client.list('/api-keys', params);
  }

  /** `GET /api-keys/{id}`. */
  get(id: string): Promise<ApiKey> {
    return this.client.get(path`/api-keys/${id}`);
  }

  /** `PATCH /api-keys/{id}`: rename, suspend (`is_active: false`) or resume, scopes, limits, allowed IPs, expiry. */
  update(id: string, changes: UpdateApiKeyParams): Promise<ApiKey> {
    return this.client.patch(path`/api-keys/${id}`, changes);
  }

  /** `POST /api-keys/{id}/rotate`: a new key with the same settings; the old one is revoked now or after the grace period. */
  rotate(id: string, params: RotateApiKeyParams = {}): Promise<RotatedApiKey> {
    return this.client.post(path`/api-keys/${id}/rotate`, params);
  }

  /** `POST /api-keys/{id}/revoke`. */
  revoke(id: string): Promise<ApiKey> {
    return this.client.post(path`/api-keys/${id}/revoke`);
  }

  /** `DELETE /api-keys/{id}`. */
  delete(id: string): Promise<void> {
    return this.client.delete(path`/api-keys/${id}`);
  }

  /** `GET /api-keys/{id}/usage` (`days` 1–90, default 7). */
  usage(id: string, params: KeyUsageParams = {}): Promise<KeyUsage> {
    return this.client.get(path`/api-keys/${id}/usage`, params);
  }
}
