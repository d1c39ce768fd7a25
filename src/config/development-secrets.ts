import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The secrets a development install may leave unset; a constant in the repository would let anyone forge tokens. */
export interface DevelopmentSecrets {
  jwtSecret: string;
  apiKeyPepper: string;
  /** The warning to log at start-up, naming the variables. */
  notice: string;
}

const FILE_NAME = 'development-secrets.json';
import { IN_MEMORY_DATA_DIR as IN_MEMORY } from '../database/embedded-database';
/** One random pair per process for an in-memory data directory (every app of the process agrees). */
let perProcess: Omit<DevelopmentSecrets, 'notice'> | undefined;

const random = (): string => randomBytes(32).toString('base64url');

function readSaved(file: string): Partial<DevelopmentSecrets> {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' && value.length >= 16 ? value : undefined);
    return { jwtSecret: text(saved.jwt_secret), apiKeyPepper: text(saved.api_key_pepper) };
  } catch {
    return {};
  }
}

/**
 * Random values for the secrets that are unset (outside production), generated once and kept in the
 * data directory (mode 0600) so tokens and keys survive a restart; random per process when the data
 * directory is in memory. A warning names the variables, so nobody mistakes this for a deployment setup.
 */
export function developmentSecrets(
  dataDir: string,
  missing: Array<'JWT_SECRET' | 'API_KEY_PEPPER'>,
): DevelopmentSecrets {
  if (dataDir === IN_MEMORY) {
    perProcess ??= { jwtSecret: random(), apiKeyPepper: random() };
    return { ...perProcess, notice: `${missing.join(' and ')} not set: using random values for this process only` };
  }
  const dir = resolve(dataDir);
  const file = join(dir, FILE_NAME);
  const saved = readSaved(file);
  const notice = `${missing.join(' and ')} not set: using random development values kept in ${file}; set them in production`;
  const secrets = { jwtSecret: saved.jwtSecret ?? random(), apiKeyPepper: saved.apiKeyPepper ?? random(), notice };
  if (saved.jwtSecret === undefined || saved.apiKeyPepper === undefined) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify({ jwt_secret: secrets.jwtSecret, api_key_pepper: secrets.apiKeyPepper }), {
      mode: 0o600,
    });
  }
  return secrets;
}
