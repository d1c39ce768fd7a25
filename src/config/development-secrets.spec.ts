import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IN_MEMORY_DATA_DIR } from '../database/embedded-database';
import { loadConfig } from './app-config';
import { developmentSecrets } from './development-secrets';

describe(developmentSecrets.name, () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tt-secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates random secrets once and keeps them in the data directory, readable by the owner only', () => {
    const first = developmentSecrets(dir, ['JWT_SECRET', 'API_KEY_PEPPER']);
    const again = developmentSecrets(dir, ['JWT_SECRET', 'API_KEY_PEPPER']);
    expect(again.jwtSecret).toBe(first.jwtSecret);
    expect(again.apiKeyPepper).toBe(first.apiKeyPepper);
    expect(first.jwtSecret).not.toBe(first.apiKeyPepper);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, 'development-secrets.json')).mode & 0o777).toBe(0o600);
    expect(first.notice).toMatch(/JWT_SECRET and API_KEY_PEPPER not set/);
  });

  it('differs between data directories (no constant in the repository)', () => {
    const other = mkdtempSync(join(tmpdir(), 'tt-secrets-'));
    try {
      expect(developmentSecrets(other, ['JWT_SECRET']).jwtSecret).not.toBe(
        developmentSecrets(dir, ['JWT_SECRET']).jwtSecret,
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('keeps set variables and names only the generated ones', () => {
    const config = loadConfig({ DATA_DIR: IN_MEMORY_DATA_DIR, JWT_SECRET: 'a-secret-long-enough-1234' });
    expect(config.jwtSecret).toBe('a-secret-long-enough-1234');
    expect(config.apiKeyPepper.length).toBeGreaterThanOrEqual(32);
    expect(config.developmentSecretsNotice).toBe('API_KEY_PEPPER not set: using random values for this process only');
  });
});
