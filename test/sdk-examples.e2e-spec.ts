import TuneTrail from 'tunetrail-sdk';
import { registerUser } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { PYTHON_SDK_ENV, run } from './support/processes';
import { listenOnLoopback, SETUP_TIMEOUT_MS } from './support/sdk';
import { startTestApp, TestApp } from './support/test-app';

/** The tracks the account holds; the examples print each one. */
const TITLES = Array.from({ length: 3 }, (_, i) => `Example track ${i + 1}`);

describe('The examples (the guide code) print the account tracks from a running service', () => {
  let t: TestApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    const baseUrl = await listenOnLoopback(t);
    const user = await registerUser(t.http);
    const { key } = await createApiKey(t.http, user.token);
    const client = new TuneTrail({ apiKey: key, baseUrl });
    for (const title of TITLES) await client.tracks.create({ title, artist: 'Guide', duration_ms: 180_000 });
    env = { TUNETRAIL_API_KEY: key, TUNETRAIL_API_URL: baseUrl };
  }, SETUP_TIMEOUT_MS);
  afterAll(() => t.close());

  it.each([
    ['node', ['examples/tracks.js']],
    ['python3', ['examples/tracks.py']],
  ])('%s %s', async (command, args) => {
    const { code, output } = await run(command, args, { ...PYTHON_SDK_ENV, ...env });
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`);
    expect(output).toContain(`${TITLES.length} tracks`);
    for (const title of TITLES) expect(output).toContain(`${title} - Guide`);
  });

  it.each([
    ['node', ['examples/tracks.js']],
    ['python3', ['examples/tracks.py']],
  ])('%s %s says why when the key is malformed', async (command, args) => {
    const { code, output } = await run(command, args, { ...PYTHON_SDK_ENV, ...env, TUNETRAIL_API_KEY: 'tt_typo' });
    expect(code).not.toBe(0);
    expect(output).toContain('AuthenticationError');
    expect(output).toContain('malformed');
  });
});
