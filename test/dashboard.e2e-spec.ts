import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { registerUser, setPlan, type RegisteredUser } from './support/accounts';
import { createApiKey } from './support/api-keys';
import {
  buildDashboard,
  launchBrowser,
  listen,
  screenshot,
  seriousA11yViolations,
  BROWSER_ACTION_TIMEOUT_MS,
  BROWSER_HOOK_TIMEOUT_MS,
  BROWSER_TEST_TIMEOUT_MS,
  watchPage,
} from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';
import { eventually } from './support/usage';

const KEY_NAME = 'Production API';
const GUIDE_SCOPES = ['read:tracks', 'read:recommendations'];
const PER_MINUTE = 5;
const EXPIRES_IN_DAYS = 30;
const KEYED_REQUESTS = 3;
const GRACE_HOURS = 1;
const DAY_MS = 86_400_000;
const FULL_KEY = /^tt_[A-Za-z0-9]{32}$/;
const SESSION_EXPIRED = 'Your session has expired. Please log in again.';

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

describe('Dashboard in a real browser', () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  const shot = (step: string) => screenshot(page, __filename, step);
  const expectAccessible = async () => expect(await seriousA11yViolations(page)).toEqual([]);
  const whoami = (key: string) => fetch(`${origin}/whoami`, { headers: { Authorization: `Bearer ${key}` } });
  /** The `reason` of a refused key, once the change has reached the key check (at most a second). */
  const reasonOf = async (key: string, expected: string | null) =>
    eventually(
      async () => {
        const res = await whoami(key);
        return res.status === 200 ? null : ((await res.json()) as { reason: string }).reason;
      },
      (reason) => reason === expected,
    );
  const keyRow = (name: string): Locator => page.getByRole('row', { name: new RegExp(`^${name} `) });
  const newKeyForm = (): Locator => page.getByRole('form', { name: 'New API key' });
  const shownKey = async (): Promise<string> => (await page.getByLabel('Full API key').textContent()) ?? '';

  async function logIn(user: RegisteredUser) {
    await page.goto(`${origin}/dashboard`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Welcome to TuneTrail' }).waitFor();
  }

  async function openApiKeys() {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'API Keys' }).click();
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
  }

  beforeAll(async () => {
    buildDashboard();
    t = await startTestApp();
    origin = await listen(t);
    browser = await launchBrowser();
  }, BROWSER_HOOK_TIMEOUT_MS);

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    context.setDefaultTimeout(BROWSER_ACTION_TIMEOUT_MS);
    page = await context.newPage();
    pageErrors = watchPage(page).errors;
  });

  afterEach(async () => {
    // No CSP refusal, no uncaught error, no failed request on any page of the test.
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, BROWSER_HOOK_TIMEOUT_MS);

  it('serves the app at /dashboard with the page security headers and cache rules', async () => {
    const index = await fetch(`${origin}/dashboard`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await index.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);

    const asset = /\/dashboard\/assets\/[\w-]+\.js/.exec(html)![0];
    const script = await fetch(origin + asset);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    const deepLink = await fetch(`${origin}/dashboard/settings/api-keys`);
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toBe(html);
    expect((await fetch(`${origin}/dashboard/assets/missing-0000.js`)).status).toBe(404);
  });

  it('follows the guide: create account, Settings → API Keys → Create New API Key, the key shown once', async () => {
    await page.goto(`${origin}/dashboard`);
    await page.getByRole('heading', { name: 'Sign in to TuneTrail' }).waitFor();
    await expectAccessible();
    await shot('01-sign-in');

    await page.getByLabel('Email').fill(`guide-${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Welcome to TuneTrail' }).waitFor();
    await expectAccessible();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Your plan: Free' }).waitFor();
    await expectAccessible();
    await shot('02-settings');

    await page.getByRole('link', { name: 'API Keys' }).click();
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    const form = newKeyForm();
    await form.getByLabel('Name').fill(KEY_NAME);
    await form.getByLabel('Environment').selectOption('production');
    for (const scope of GUIDE_SCOPES) await form.getByRole('checkbox', { name: scope, exact: true }).check();
    expect(await form.getByLabel('Requests per minute').getAttribute('placeholder')).toBe('10');
    await form.getByLabel('Requests per minute').fill(String(PER_MINUTE));
    await form.getByLabel('Expiration').selectOption({ label: `${EXPIRES_IN_DAYS} days` });
    await expectAccessible();
    await shot('03-create-form');
    await form.getByRole('button', { name: 'Create', exact: true }).click();

    await page.getByRole('button', { name: 'Copy' }).waitFor();
    const key = await shownKey();
    expect(key).toMatch(FULL_KEY);
    await expect(page.getByRole('note').textContent()).resolves.toContain('only shown once during creation');
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(key);
    await expectAccessible();
    await shot('04-key-shown-once');

    // The key works as curl would use it, with what the form said.
    const res = await whoami(key);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & {
      rate_limits: { minute: number };
      expires_at: string;
    };
    expect(body).toMatchObject({ name: KEY_NAME, environment: 'production', scopes: GUIDE_SCOPES, plan: 'free' });
    expect(body.rate_limits.minute).toBe(PER_MINUTE);
    expect(Math.abs(Date.parse(body.expires_at) - (Date.now() + EXPIRES_IN_DAYS * DAY_MS))).toBeLessThan(60_000);

    // After a reload only the prefix is left, and the JWT is in sessionStorage, not a cookie or the URL.
    await page.reload();
    await keyRow(KEY_NAME).waitFor();
    expect(await keyRow(KEY_NAME).textContent()).toContain(key.slice(0, 11));
    expect(await page.content()).not.toContain(key);
    expect(await context.cookies()).toEqual([]);
    expect(page.url()).toBe(`${origin}/dashboard/settings/api-keys`);
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
    await expectAccessible();
    await shot('05-list-after-reload');
  });

  it('charts the usage of keyed requests, and rotate, suspend, revoke and delete take effect', async () => {
    const user = await registerUser(t.http);
    const { key, id } = await createApiKey(t.http, user.token, { name: 'Usage key' });
    for (let i = 0; i < KEYED_REQUESTS; i++) expect((await whoami(key)).status).toBe(200);
    await eventually(
      async () => {
        const res = await fetch(`${origin}/api-keys/${id}/usage`, {
          headers: { Authorization: `Bearer ${user.token}` },
        });
        return (await res.json()) as { total_requests: number };
      },
      (usage) => usage.total_requests === KEYED_REQUESTS,
    );
    await logIn(user);
    await openApiKeys();

    await keyRow('Usage key').getByRole('button', { name: 'Usage' }).click();
    const usage = page.getByRole('dialog', { name: 'Usage of Usage key' });
    await expect(usage.getByTestId('total-requests').textContent()).resolves.toBe(String(KEYED_REQUESTS));
    const byStatus = usage.getByRole('img', { name: /^Requests by status code/ });
    expect(await byStatus.getAttribute('aria-label')).toBe(`Requests by status code: 200: ${KEYED_REQUESTS}`);
    expect(await usage.getByRole('img', { name: /^Requests by endpoint/ }).getAttribute('aria-label')).toBe(
      `Requests by endpoint: /whoami: ${KEYED_REQUESTS}`,
    );
    expect((await byStatus.boundingBox())!.height).toBeGreaterThan(100);
    await usage.getByLabel('Last 30 days').check();
    await expect(usage.getByTestId('total-requests').textContent()).resolves.toBe(String(KEYED_REQUESTS));
    await expectAccessible();
    await shot('06-usage-chart');
    await usage.getByRole('button', { name: 'Close' }).click();

    // Rotate with a grace period: a new key is shown once, the old one keeps working until then.
    await keyRow('Usage key').first().getByRole('button', { name: 'Rotate' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate Usage key?' });
    await rotate.getByLabel('Grace period (hours, optional)').fill(String(GRACE_HOURS));
    await expectAccessible();
    await shot('07-rotate-dialog');
    await rotate.getByRole('button', { name: 'Rotate' }).click();
    await page.getByRole('button', { name: 'Copy' }).waitFor();
    const rotated = await shownKey();
    expect(rotated).toMatch(FULL_KEY);
    expect((await whoami(rotated)).status).toBe(200);
    expect((await whoami(key)).status).toBe(200);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const oldRow = page.getByRole('row').filter({ hasText: key.slice(0, 11) });
    const newRow = page.getByRole('row').filter({ hasText: rotated.slice(0, 11) });
    await newRow.waitFor();

    // Suspend asks first; the key answers 401 inactive, Resume brings it back.
    await oldRow.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('dialog', { name: 'Suspend Usage key?' }).getByRole('button', { name: 'Suspend' }).click();
    await oldRow.getByText('suspended').waitFor();
    expect(await reasonOf(key, 'inactive')).toBe('inactive');
    await oldRow.getByRole('button', { name: 'Resume' }).click();
    await oldRow.getByText('active', { exact: true }).waitFor();
    expect(await reasonOf(key, null)).toBeNull();

    // Revoke asks first, in a dialog whose button repeats the action.
    await newRow.getByRole('button', { name: 'Revoke' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke Usage key?' });
    await expectAccessible();
    await shot('08-revoke-dialog');
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await newRow.getByText('revoked').waitFor();
    expect(await reasonOf(rotated, 'revoked')).toBe('revoked');

    await oldRow.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete Usage key?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Usage key is deleted.').waitFor();
    expect(await oldRow.count()).toBe(0);
    expect(await reasonOf(key, 'unknown')).toBe('unknown');
    await expectAccessible();
    await shot('09-after-delete');
  });

  it('disables a scope the plan lacks and names the plan that has it; filters by environment and status', async () => {
    const user = await registerUser(t.http);
    await createApiKey(t.http, user.token, { name: 'Staging key', environment: 'staging' });
    const suspended = await createApiKey(t.http, user.token, { name: 'Dev key', environment: 'development' });
    await fetch(`${origin}/api-keys/${suspended.id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ is_active: false }),
    });
    await logIn(user);
    await openApiKeys();

    await page.getByLabel('Filter by environment').selectOption('staging');
    await page.getByRole('row', { name: /^Dev key / }).waitFor({ state: 'detached' });
    expect(await keyRow('Staging key').count()).toBe(1);
    await page.getByLabel('Filter by environment').selectOption('');
    await page.getByLabel('Filter by status').selectOption({ label: 'Suspended or revoked' });
    await page.getByRole('row', { name: /^Staging key / }).waitFor({ state: 'detached' });
    expect(await keyRow('Dev key').count()).toBe(1);

    await page.getByRole('button', { name: 'Create New API Key' }).click();
    const form = newKeyForm();
    const planNote = async (scope: string) => {
      const box = form.getByRole('checkbox', { name: scope, exact: true });
      expect(await box.isDisabled()).toBe(true);
      return page.locator(`#${await box.getAttribute('aria-describedby')}`).textContent();
    };
    expect(await planNote('read:audio_features')).toBe('Available on the Starter plan');
    expect(await planNote('train:models')).toBe('Available on the Pro plan');
    expect(await form.getByRole('checkbox', { name: 'read:tracks', exact: true }).isEnabled()).toBe(true);
    await shot('10-plan-scopes');

    await setPlan(t, user.user.id, 'starter');
    await page.reload();
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    expect(await newKeyForm().getByRole('checkbox', { name: 'read:audio_features', exact: true }).isEnabled()).toBe(
      true,
    );
  });

  it('shows API errors in words and sends the user back to sign in when the session ends', async () => {
    /** The browser logs each refused request itself; the ones this test provokes are expected. */
    const expectOnlyRefusals = (status: number) => {
      const refused = `Failed to load resource: the server responded with a status of ${status} `;
      expect(pageErrors.filter((error) => !error.startsWith(refused))).toEqual([]);
      pageErrors.length = 0;
    };
    const user = await registerUser(t.http);
    await page.goto(`${origin}/dashboard`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong email or password.');
    expectOnlyRefusals(401);

    await logIn(user);
    await openApiKeys();
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    const form = newKeyForm();
    await form.getByLabel('Name').fill('Office only');
    await form.getByRole('checkbox', { name: 'read:tracks', exact: true }).check();
    await form.getByLabel('Allowed IPs').fill('the office');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    const problem = (await form.getByRole('alert').textContent()) ?? '';
    expect(problem).toBe(
      'Please check the form: each value in allowed_ips must be an IPv4/IPv6 address or CIDR range.',
    );
    expectOnlyRefusals(400);
    await shot('11-error-in-words');

    // A JWT the API refuses (expired or revoked) ends the session: back to sign-in, saying why.
    await page.evaluate(`{
      const stored = JSON.parse(sessionStorage.getItem('tunetrail.session'));
      sessionStorage.setItem('tunetrail.session', JSON.stringify({ ...stored, token: stored.token + 'x' }));
    }`);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to TuneTrail' }).waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toBe(SESSION_EXPIRED);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expectOnlyRefusals(401);
  });
});
