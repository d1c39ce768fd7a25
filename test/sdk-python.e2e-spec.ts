import { randomUUID } from 'node:crypto';
import { registerUser, setPlan } from './support/accounts';
import { PYTHON_SDK_ENV, pythonHas, run } from './support/processes';
import { listenOnLoopback, SETUP_TIMEOUT_MS } from './support/sdk';
import { startTestApp, TestApp } from './support/test-app';

/** The suite includes a 429 waited out until the next UTC minute: up to a minute of real waiting. */
const SUITE_TIMEOUT_MS = 300_000;
const PASSWORD = 'correct horse battery staple';

describe('Python SDK (tunetrail) against the running service', () => {
  let t: TestApp;

  beforeAll(async () => (t = await startTestApp()), SETUP_TIMEOUT_MS);
  afterAll(() => t.close());

  it(
    'passes its own test suite (sdk/python/tests: every resource, each typed error, retries, pagination)',
    async () => {
      const baseUrl = await listenOnLoopback(t);
      const user = await registerUser(t.http, { email: `py-${randomUUID()}@example.com`, password: PASSWORD });
      await setPlan(t, user.user.id, 'pro');
      // pytest where installed (it is on the project's machines), else the standard library's runner.
      const runner = pythonHas('pytest')
        ? ['-m', 'pytest', 'sdk/python/tests', '-q', '-p', 'no:cacheprovider']
        : ['-m', 'unittest', 'discover', '-s', 'sdk/python/tests', '-v'];
      const { code, output } = await run('python3', runner, {
        ...PYTHON_SDK_ENV,
        TUNETRAIL_TEST_API_URL: baseUrl,
        TUNETRAIL_TEST_EMAIL: user.email,
        TUNETRAIL_TEST_PASSWORD: PASSWORD,
        TUNETRAIL_API_KEY: undefined,
        TUNETRAIL_API_URL: undefined,
      });
      if (code !== 0) throw new Error(`Python SDK tests failed (exit ${code}):\n${output}`);
      expect(output).toMatch(/\b\d+ passed\b|\bOK\b/);
      expect(output).not.toMatch(/skipped|failed/i);
    },
    SUITE_TIMEOUT_MS,
  );
});
