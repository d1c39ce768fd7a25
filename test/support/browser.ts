import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { TestApp } from './test-app';

/** Debian's Chromium (`apt-get install -y chromium`); playwright-core never downloads a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Screenshots of each step, kept as the run's artifacts (git-ignored). */
export const ARTIFACTS_DIR = join(__dirname, '..', '..', 'test-artifacts');
const ROOT = join(__dirname, '..', '..');

/**
 * Bound of the browser suites' beforeAll/afterAll: they start (or stop) the app, its database and a
 * browser, and the dashboard's also builds it; on a busy machine that outlasts jest's default.
 */
export const BROWSER_HOOK_TIMEOUT_MS = 180_000;
/** Bound of one browser test (each walks several pages) and of one page action or wait in it. */
export const BROWSER_TEST_TIMEOUT_MS = 180_000;
export const BROWSER_ACTION_TIMEOUT_MS = 60_000;

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

/** Builds the dashboard as `npm run build` does, so the app under test serves the current sources. */
export function buildDashboard(): void {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--config', 'dashboard/vite.config.mts'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}

/** Makes the test app listen on a free loopback port (browsers need a real socket) and returns its origin. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('the test app is not listening on TCP');
  return `http://127.0.0.1:${address.port}`;
}

/** Records what a page reports about itself: console errors (CSP refusals among them) and uncaught errors. */
export function watchPage(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { errors };
}

/** Saves a screenshot of the whole page, or of one part of it, as test-artifacts/<spec>/<step>.png. */
export async function screenshot(page: Page, spec: string, step: string, part?: Locator): Promise<void> {
  const dir = join(ARTIFACTS_DIR, basename(spec).replace(/\..*$/, ''));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${step}.png`);
  await (part ? part.screenshot({ path }) : page.screenshot({ path, fullPage: true }));
}

export interface A11yProblem {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules). */
export async function seriousA11yViolations(page: Page): Promise<A11yProblem[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}
