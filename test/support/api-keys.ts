import request from 'supertest';
import type { CreatedApiKeyResponseDto } from '../../src/api-keys/dto/api-key-response.dto';
import type { Scope } from '../../src/plans/scopes';
import { bodyOf } from './http';
import type { TestApp } from './test-app';

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
