import { expect } from '@jest/globals';
import request from 'supertest';
import { ApiKeyHasher } from '../src/api-keys/api-key-hasher';
import type { RotatedApiKeyResponseDto } from '../src/api-keys/dto/api-key-response.dto';
import { registerUser } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { bodyOf } from './support/http';
import { captureOutput } from './support/output';
import { startTestApp, TestApp } from './support/test-app';

describe('API-key secrecy in logs', () => {
  it('never writes a key or its hash to the logs, even at trace level', async () => {
    const secrets: string[] = [];
    let hasher: ApiKeyHasher | undefined;
    const output = await captureOutput(async () => {
      const t: TestApp = await startTestApp({ env: { LOG_LEVEL: 'trace' } });
      try {
        hasher = t.app.get(ApiKeyHasher);
        const { token } = await registerUser(t.http);
        const created = await createApiKey(t.http, token, { allowed_ips: ['127.0.0.1'] });
        const denied = await createApiKey(t.http, token, { allowed_ips: ['10.0.0.0/8'] });
        const auth = `Bearer ${created.key}`;
        await request(t.http).get('/whoami').set('Authorization', auth).expect(200);
        await request(t.http).post('/tracks').set('Authorization', auth).send({ title: 'x' }).expect(400);
        await request(t.http)
          .get('/tracks/00000000-0000-4000-8000-000000000000/audio-features')
          .set('Authorization', auth)
          .expect(403);
        await request(t.http).get('/whoami').set('Authorization', `Bearer ${denied.key}`).expect(403);
        const rotated = await request(t.http)
          .post(`/api-keys/${created.id}/rotate`)
          .set('Authorization', `Bearer ${token}`)
          .send({})
          .expect(201);
        await request(t.http).get('/whoami').set('Authorization', auth).expect(401);
        await request(t.http)
          .get('/whoami')
          .set('Authorization', `Bearer ${created.key.slice(0, -1)}x`)
          .expect(401);
        secrets.push(created.key, denied.key, bodyOf<RotatedApiKeyResponseDto>(rotated).api_key);
      } finally {
        await t.close();
      }
    });

    expect(output).toContain('incoming request');
    for (const secret of secrets) {
      expect(output).not.toContain(secret.slice(11));
      expect(output).not.toContain(hasher!.hash(secret));
    }
  });
});
