import { expect } from '@jest/globals';
import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import request, { type Response } from 'supertest';
import type { ApiKeyResponseDto } from '../src/api-keys/dto/api-key-response.dto';
import type { AuditLogResponseDto } from '../src/audit-log/dto/audit-log-response.dto';
import type { SecretReportLabelDto } from '../src/secret-scanning/dto/secret-report.dto';
import { ApiKeyGenerator } from '../src/api-keys/api-key-generator';
import { registerUser } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { bodyOf, errorOf } from './support/http';
import { describeWithRealServices, startTestApp, startTwoInstances, TestApp, TwoInstances } from './support/test-app';
import { SETUP_TIMEOUT_MS } from './support/sdk';
import { eventually } from './support/usage';

const KEY_ID = 'github-key-1';
const TOKEN_TYPE = 'tunetrail_api_key';
const FOUND_AT = 'https://github.com/octocat/hello/blob/main/config.js';
const PROPAGATION_MS = 1000;

const pair = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const github = pair();
const stranger = pair();
const SCANNING_ENV = {
  SECRET_SCANNING_PUBLIC_KEYS: JSON.stringify({ [KEY_ID]: github.publicKey.export({ type: 'spki', format: 'pem' }) }),
};

const reportBody = (...tokens: string[]): string =>
  JSON.stringify(tokens.map((token) => ({ token, type: TOKEN_TYPE, url: FOUND_AT, source: 'content' })));

function post(t: TestApp, body: string, signer: KeyObject | null = github.privateKey, keyId = KEY_ID) {
  const req = request(t.http).post('/secret-scanning/reports').set('Content-Type', 'application/json');
  if (signer) {
    req.set('Github-Public-Key-Identifier', keyId);
    req.set('Github-Public-Key-Signature', sign('sha256', Buffer.from(body), signer).toString('base64'));
  }
  return req.send(body);
}

const labelsOf = (res: Response): SecretReportLabelDto[] => bodyOf<SecretReportLabelDto[]>(res);

const whoami = (t: TestApp, key: string) => request(t.http).get('/whoami').set('Authorization', `Bearer ${key}`);

describe('Leaked keys: without SECRET_SCANNING_PUBLIC_KEYS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, SETUP_TIMEOUT_MS);
  afterAll(() => t.close());

  it('answers 404', async () => {
    const res = await post(t, reportBody('tt_x'));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Not found' });
  });
});

describe('Leaked keys: signed reports revoke at once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: SCANNING_ENV });
  }, SETUP_TIMEOUT_MS);
  afterAll(() => t.close());

  it('refuses a missing, foreign, unknown-id or non-matching signature with 401', async () => {
    const body = reportBody('tt_x');
    for (const res of [
      await post(t, body, null),
      await post(t, body, stranger.privateKey),
      await post(t, body, github.privateKey, 'other-id'),
      await post(t, body, github.privateKey).set('Github-Public-Key-Signature', 'AAAA'),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Invalid signature' });
    }
  });

  it('labels an issued key true_positive, revokes it as exposed and records api_key.exposed', async () => {
    const { token } = await registerUser(t.http);
    const leaked = await createApiKey(t.http, token);
    const notOurs = new ApiKeyGenerator().generate();
    expect((await whoami(t, leaked.key)).status).toBe(200);

    const res = await post(t, reportBody(leaked.key, notOurs, 'tt_garbage'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { token_raw: leaked.key, token_type: TOKEN_TYPE, label: 'true_positive' },
      { token_raw: notOurs, token_type: TOKEN_TYPE, label: 'false_positive' },
      { token_raw: 'tt_garbage', token_type: TOKEN_TYPE, label: 'false_positive' },
    ]);

    const refused = await whoami(t, leaked.key);
    expect(refused.status).toBe(401);
    expect(errorOf(refused).reason).toBe('revoked');
    const shown = await request(t.http).get(`/api-keys/${leaked.id}`).set('Authorization', `Bearer ${token}`);
    expect(bodyOf<ApiKeyResponseDto>(shown)).toMatchObject({
      is_active: false,
      revoked_reason: 'exposed',
      revoked_at: expect.any(String),
    });

    const log = await request(t.http).get('/audit-log?type=api_key.exposed').set('Authorization', `Bearer ${token}`);
    expect(bodyOf<AuditLogResponseDto>(log).total).toBe(1);
    expect(bodyOf<AuditLogResponseDto>(log).data[0]).toMatchObject({
      type: 'api_key.exposed',
      actor: { type: 'system', id: null },
      data: { url: FOUND_AT, source: 'content', api_key: { id: leaked.id, revoked_reason: 'exposed' } },
    });

    // Reported again: still ours, nothing more happens.
    const again = await post(t, reportBody(leaked.key));
    expect(labelsOf(again)[0].label).toBe('true_positive');
    const after = await request(t.http).get('/audit-log?type=api_key.exposed').set('Authorization', `Bearer ${token}`);
    expect(bodyOf<AuditLogResponseDto>(after).total).toBe(1);
  });

  it('refuses a body that is not an array of matches with 400', async () => {
    const res = await post(t, JSON.stringify({ token: 'tt_x' }));
    expect(res.status).toBe(400);
    expect(errorOf(res).error).toBe('Validation failed');
  });
});

describeWithRealServices('Leaked keys: revocation reaches every instance', () => {
  let instances: TwoInstances;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    instances = await startTwoInstances(SCANNING_ENV);
    ({ a, b } = instances);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => instances?.close());

  it(`a report to one instance revokes the key on the other within ${PROPAGATION_MS} ms`, async () => {
    const { token } = await registerUser(a.http);
    const leaked = await createApiKey(a.http, token);
    // Cached as valid on both instances first.
    expect((await whoami(a, leaked.key)).status).toBe(200);
    expect((await whoami(b, leaked.key)).status).toBe(200);

    expect(labelsOf(await post(a, reportBody(leaked.key)))[0].label).toBe('true_positive');
    const started = Date.now();
    const status = await eventually(
      async () => (await whoami(b, leaked.key)).status,
      (code) => code === 401,
      PROPAGATION_MS,
    );
    expect(status).toBe(401);
    expect(Date.now() - started).toBeLessThanOrEqual(PROPAGATION_MS + 100);
    expect((await whoami(a, leaked.key)).status).toBe(401);
  });
});
