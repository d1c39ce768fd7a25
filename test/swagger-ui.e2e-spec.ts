import request from 'supertest';
import type { Browser, Locator, Page } from 'playwright-core';
import { registerUser } from './support/accounts';
import {
  BROWSER_ACTION_TIMEOUT_MS,
  BROWSER_HOOK_TIMEOUT_MS,
  BROWSER_TEST_TIMEOUT_MS,
  launchBrowser,
  listen,
  screenshot,
  watchPage,
} from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';
import { ANSWERED_BEFORE_LIMITER, API_KEY_SECURITY, JWT_SECURITY } from '../src/common/http/swagger';

const FULL_KEY = /tt_[A-Za-z0-9]{32}/;
const LIMIT_HEADERS = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'RateLimit-Policy',
  'RateLimit',
];

interface Operation {
  operationId: string;
  tags: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, { headers?: Record<string, unknown> }>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

describe('Swagger UI in a real browser', () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let openApi: OpenApi;

  const shot = (step: string, part?: Locator) => screenshot(page, __filename, step, part);
  /** The operation's block on the page (Swagger UI's element id is `operations-<tag>-<operationId>`). */
  const operation = (method: string, path: string): Locator => {
    const { tags, operationId } = openApi.paths[path][method];
    return page.locator(`#operations-${tags[0]}-${operationId}`);
  };

  async function authorize(scheme: string, token: string) {
    await page.locator('.auth-wrapper button.authorize').click();
    const form = page
      .locator('.auth-container')
      .filter({ has: page.locator('h4', { hasText: new RegExp(`^${scheme}`) }) });
    await form.locator('input[aria-label="auth-bearer-value"]').fill(token);
    await form.getByRole('button', { name: 'Apply credentials' }).click();
    await form.getByRole('button', { name: 'Remove authorization' }).waitFor();
    await form.getByRole('button', { name: 'Close' }).click();
  }

  /** "Try it out" with what the page pre-fills, then Execute; returns the status and body shown. */
  async function tryItOut(block: Locator, fill: Record<string, string> = {}) {
    await block.locator('.opblock-summary').first().click();
    await block.getByRole('button', { name: 'Try it out' }).click();
    for (const [name, value] of Object.entries(fill)) {
      await block.locator(`tr[data-param-name="${name}"] input`).fill(value);
    }
    await block.getByRole('button', { name: 'Execute' }).click();
    const live = block.locator('.live-responses-table tbody .response');
    await live.waitFor();
    const status = Number(await live.locator('.response-col_status').textContent());
    const text = (await live.locator('.response-col_description pre').first().textContent()) ?? '';
    const headers = (await live.locator('.response-col_description').textContent()) ?? '';
    return { status, text, headers };
  }

  beforeAll(async () => {
    t = await startTestApp();
    origin = await listen(t);
    openApi = (await request(t.http).get('/docs-json').expect(200)).body as OpenApi;
    browser = await launchBrowser();
  }, BROWSER_HOOK_TIMEOUT_MS);

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(BROWSER_ACTION_TIMEOUT_MS);
    pageErrors = watchPage(page).errors;
  });

  afterEach(async () => {
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, BROWSER_HOOK_TIMEOUT_MS);

  it('serves /docs with the page security headers', async () => {
    const res = await fetch(`${origin}/docs`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('documents the rate-limit headers on every response of every API-key route that reached the limiter', () => {
    const keyed = Object.values(openApi.paths)
      .flatMap((methods) => Object.values(methods))
      .filter((op) => op.security?.some((requirement) => API_KEY_SECURITY in requirement));
    expect(keyed.length).toBeGreaterThan(0);
    for (const op of keyed) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (ANSWERED_BEFORE_LIMITER.has(status)) expect(response.headers).toBeUndefined();
        else expect(Object.keys(response.headers ?? {})).toEqual(expect.arrayContaining(LIMIT_HEADERS));
      }
    }
  });

  it('authorizes a JWT, creates a key with the pre-filled example, then calls GET /tracks with it', async () => {
    const { token } = await registerUser(t.http);
    await page.goto(`${origin}/docs`);
    await page.locator('.swagger-ui .info').waitFor();
    await shot('01-docs', page.locator('.swagger-ui .information-container'));

    await authorize(JWT_SECURITY, token);
    const create = operation('post', '/api-keys');
    const created = await tryItOut(create);
    expect(created.status).toBe(201);
    const key = FULL_KEY.exec(created.text)![0];
    const id = (JSON.parse(created.text) as { id: string }).id;
    await shot('02-create-key-201', create);

    // The pre-filled rotate body (its grace period) is accepted too.
    const rotated = await tryItOut(operation('post', '/api-keys/{id}/rotate'), { id });
    expect(rotated.status).toBe(201);
    expect(rotated.text).toMatch(FULL_KEY);

    // The authorization survives a reload (persistAuthorization); the API key is added beside it (the
    // created key still works: the example's grace period keeps it for a day after the rotation).
    await page.reload();
    await page.locator('.swagger-ui .info').waitFor();
    await expect(page.locator('.auth-wrapper button.authorize').getAttribute('class')).resolves.toContain('locked');
    await authorize(API_KEY_SECURITY, key);
    const listTracks = operation('get', '/tracks');
    const tracks = await tryItOut(listTracks);
    expect(tracks.status).toBe(200);
    expect(JSON.parse(tracks.text)).toMatchObject({ data: [], total: 0 });
    expect(tracks.headers.toLowerCase()).toContain('x-ratelimit-remaining');
    await shot('03-get-tracks-200', listTracks);
  });
});
