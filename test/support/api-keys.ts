import request from 'supertest';
import type { CreatedApiKeyResponseDto } from '../../src/api-keys/dto/api-key-response.dto';
import type { Scope } from '../../src/plans/scopes';
import { bodyOf } from './http';
import type { TestApp } from './test-app';

/** The fields of the guide's creation example. */
export const GUIDE_EXAMPLE_FIELDS = [
  'id',
  'api_key',
  'name',
  'key_prefix',
  'scopes',
  'environment',
  'rate_limit_requests_per_minute',
  'rate_limit_requests_per_hour',
  'rate_limit_requests_per_day',
  'created_at',
  'expires_at',
];
/** The fields the contract adds to them. */
export const CONTRACT_EXTRA_FIELDS = ['is_active', 'allowed_ips', 'last_used_at', 'revoked_at', 'revoked_reason'];
/** A key as lists, look-ups and events show it: every field but the secret, sorted. */
export const VIEW_FIELDS = [...GUIDE_EXAMPLE_FIELDS.filter((f) => f !== 'api_key'), ...CONTRACT_EXTRA_FIELDS].sort();
/** The track scopes every plan grants: a key that can use the whole track API on any plan, free included. */
export const DEFAULT_KEY_SCOPES: readonly Scope[] = [
  'read:tracks',
  'write:tracks',
  'delete:tracks',
  'read:recommendations',
];
/** The name keys get unless a test names them. */
export const DEFAULT_KEY_NAME = 'test key';

export interface CreatedKey {
  /** The creation response body (snake_case, as the API answers it). */
  body: CreatedApiKeyResponseDto;
  id: string;
  /** The full `tt_...` key. */
  key: string;
}

/** Creates an API key through the API with the given JWT (default: `DEFAULT_KEY_SCOPES`, plan limits). */
export async function createApiKey(
  http: TestApp['http'],
  token: string,
  body: Record<string, unknown> = {},
): Promise<CreatedKey> {
  const res = await request(http)
    .post('/api-keys')
    .set('Authorization', `Bearer ${token}`)
    .send({
      name: DEFAULT_KEY_NAME,
      scopes: DEFAULT_KEY_SCOPES,
      ...body,
    });
  if (res.status !== 201) throw new Error(`create key failed: ${res.status} ${JSON.stringify(res.body)}`);
  const created = bodyOf<CreatedApiKeyResponseDto>(res);
  return { body: created, id: created.id, key: created.api_key };
}
