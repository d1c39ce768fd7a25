import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { run } from './support/processes';
import { SETUP_TIMEOUT_MS } from './support/sdk';
import { startTestApp, TestApp } from './support/test-app';

describe('Node SDK types: sdk/node/src/generated/openapi.ts follows the OpenAPI document', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await startTestApp();
    dir = await mkdtemp(join(tmpdir(), 'tt-openapi-'));
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is what `npm run sdk:generate` makes of the document the service serves (else: run it and commit)', async () => {
    const document = await request(t.http).get('/docs-json').expect(200);
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document.body));
    const { code, output } = await run('node', ['scripts/sdk-generate.mjs', '--check', '--from', file], {});
    expect({ code, output }).toEqual({ code: 0, output: '' });
  });
});
