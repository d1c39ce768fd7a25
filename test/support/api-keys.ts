import request from 'supertest';
import type { TestApp } from './test-app';

export interface CreatedKey {
  /** The creation response body (snake_case, as the API answers it). */
  body: Record<string, unknown> & { id: string; api_key: string };
  id: string;
  /** The full `tt_...` key. */
  key: string;
}

/** Creates an API key through the API with the given JWT (default: every free-plan track scope). */
export async function createApiKey(
  http: TestApp['http'],
  token: string,
  body: Record<string, unknown> = {},
): Promise<CreatedKey> {
  const res = await request(http)
    .post('/api-keys')
    .set('Authorization', `Bearer ${token}`)
    .send({
      name: 'test key',
      scopes: ['read:tracks', 'write:tracks', 'delete:tracks', 'read:recommendations'],
      ...body,
    });
  if (res.status !== 201) throw new Error(`create key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { body: res.body, id: res.body.id, key: res.body.api_key };
}
