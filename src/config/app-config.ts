import { createPublicKey } from 'node:crypto';
import { isIP } from 'node:net';
import { developmentSecrets } from './development-secrets';

/** Typed, validated configuration: read once from the environment at start-up, then injected. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** PostgreSQL connection string; absent means the embedded PGlite database under `dataDir`. */
  databaseUrl?: string;
  /** Longest wait for a PostgreSQL connection, from the pool or a new one (then 503). */
  databaseConnectTimeoutMs: number;
  /** Longest a PostgreSQL statement may run (server-side `statement_timeout` and client-side read timeout). */
  databaseStatementTimeoutMs: number;
  /** Longest SIGTERM waits for in-flight requests and the usage flush before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Origins allowed by CORS (`*` for any); empty means no CORS headers at all. */
  corsOrigins: string[];
  /** Where the embedded database keeps its files (`memory://` keeps them in memory). */
  dataDir: string;
  /** Redis URL; absent (and no cluster nodes) means in-process stand-ins. */
  redisUrl?: string;
  /** Redis Cluster root nodes (`host:port` list); takes precedence over `redisUrl`. */
  redisClusterNodes?: string[];
  /** Prefix of every Redis key and channel this instance uses, so deployments can share a Redis. */
  redisKeyPrefix: string;
  /** Upper bound on one Redis command; past it the request falls back to the in-memory limiter. */
  redisCommandTimeoutMs: number;
  jwtSecret: string;
  /** Set when JWT_SECRET or API_KEY_PEPPER was generated: the start-up warning naming them. */
  developmentSecretsNotice?: string;
  jwtExpiresInSeconds: number;
  adminEmail?: string;
  adminPassword?: string;
  authRateLimitPerMinute: number;
  /** Fastify `trustProxy`: false, or the addresses/CIDRs of the proxies whose X-Forwarded-For counts. */
  trustProxy: false | string[];
  /** Server-side secret mixed into API-key hashes (HMAC-SHA-256). */
  apiKeyPepper: string;
  apiKeyCacheTtlMs: number;
  apiKeyCacheMaxEntries: number;
  usageFlushIntervalMs: number;
  usageFlushBatchSize: number;
  usageBufferMaxRows: number;
  usageRetentionDays: number;
  /** Largest recording `POST /tracks/{id}/audio` accepts (bytes); larger is 413. */
  audioMaxBytes: number;
  /** Worker threads analysing recordings (each runs one analysis at a time). */
  audioWorkers: number;
  /** How fast all uploads together are read (bytes per second), so reading them never takes a whole core. */
  audioUploadBytesPerSecond: number;
  /** Webhook URLs may use `http://` (otherwise only `https://`). */
  webhookAllowHttp: boolean;
  /** Webhook URLs may point at loopback, private, link-local, CGNAT, multicast or unspecified addresses. */
  webhookAllowPrivateUrls: boolean;
  /** Seconds to wait before each retry of a failed delivery; its length + 1 is the number of attempts. */
  webhookRetryScheduleSeconds: number[];
  /** A delivery attempt that has no 2xx answer within this bound has failed. */
  webhookTimeoutMs: number;
  /** How often each instance looks for due deliveries. */
  webhookPollIntervalMs: number;
  /** GitHub secret-scanning public keys by key id (PEM); absent means the report route answers 404. */
  secretScanningPublicKeys?: Record<string, string>;
  /** Events (the audit log) older than this are deleted. */
  auditRetentionDays: number;
  /** How often each instance looks for keys about to expire or just expired. */
  apiKeyExpiryCheckIntervalMs: number;
  /** How often an instance looks for a queued training job (it also looks at once after a POST). */
  modelJobPollIntervalMs: number;
  /** A running job whose instance sent no heartbeat for this long is taken back (run again or failed). */
  modelJobStaleAfterMs: number;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = ConfigValidationError.name;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'production', 'test'] as const;

type Env = Record<string, string | undefined>;

/** Reads and validates every variable; throws one error naming each bad variable. */
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  const bool = (name: string): boolean => {
    const raw = read(name);
    if (raw === undefined || raw === 'false') return false;
    if (raw === 'true') return true;
    problems.push(`${name} must be "true" or "false" (got "${raw}")`);
    return false;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) throw new Error();
    } catch {
      problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return undefined;
    }
    return raw;
  };

  const nodeEnv = oneOf('NODE_ENV', NODE_ENVS, 'development');
  const production = nodeEnv === 'production';

  const jwtSecret = read('JWT_SECRET');
  if (jwtSecret === undefined && production) problems.push('JWT_SECRET is required when NODE_ENV=production');
  if (jwtSecret !== undefined && jwtSecret.length < 16) problems.push('JWT_SECRET must be at least 16 characters');
  const apiKeyPepper = read('API_KEY_PEPPER');
  if (apiKeyPepper === undefined && production) problems.push('API_KEY_PEPPER is required when NODE_ENV=production');

  const adminEmail = read('ADMIN_EMAIL');
  const adminPassword = read('ADMIN_PASSWORD');
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (adminPassword !== undefined && adminPassword.length < 10) {
    problems.push('ADMIN_PASSWORD must be at least 10 characters');
  }

  const clusterRaw = read('REDIS_CLUSTER_NODES');
  const redisClusterNodes = clusterRaw
    ?.split(',')
    .map((node) => node.trim())
    .filter(Boolean);
  if (redisClusterNodes?.some((node) => !/^[\w.-]+:\d{1,5}$/.test(node) && !/^\[[\da-f:]+\]:\d{1,5}$/i.test(node))) {
    problems.push('REDIS_CLUSTER_NODES must be a comma-separated list of host:port');
  }

  const config: AppConfig = {
    nodeEnv,
    port: int('PORT', 3000, 0, 65535),
    host: read('HOST') ?? '0.0.0.0',
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    databaseConnectTimeoutMs: int('DATABASE_CONNECT_TIMEOUT_MS', 2000, 100, 60000),
    databaseStatementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 2000, 100, 600000),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10000, 1000, 120000),
    corsOrigins: parseCorsOrigins(read('CORS_ORIGINS'), problems),
    dataDir: read('DATA_DIR') ?? './.data',
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    redisClusterNodes,
    redisKeyPrefix: read('REDIS_KEY_PREFIX') ?? 'tt:',
    redisCommandTimeoutMs: int('REDIS_COMMAND_TIMEOUT_MS', 200, 10, 10000),
    jwtSecret: jwtSecret ?? '',
    jwtExpiresInSeconds: int('JWT_EXPIRES_IN_SECONDS', 3600, 60, 30 * 24 * 3600),
    adminEmail: adminEmail?.toLowerCase(),
    adminPassword,
    authRateLimitPerMinute: int('AUTH_RATE_LIMIT_PER_MINUTE', 10, 1, 1000000),
    trustProxy: parseTrustProxy(read('TRUST_PROXY'), problems),
    apiKeyPepper: apiKeyPepper ?? '',
    apiKeyCacheTtlMs: int('API_KEY_CACHE_TTL_MS', 30000, 0, 3600000),
    apiKeyCacheMaxEntries: int('API_KEY_CACHE_MAX_ENTRIES', 10000, 1, 10000000),
    usageFlushIntervalMs: int('USAGE_FLUSH_INTERVAL_MS', 50, 10, 60000),
    usageFlushBatchSize: int('USAGE_FLUSH_BATCH_SIZE', 5000, 1, 50000),
    usageBufferMaxRows: int('USAGE_BUFFER_MAX_ROWS', 200000, 100, 10000000),
    usageRetentionDays: int('USAGE_RETENTION_DAYS', 90, 1, 3650),
    audioMaxBytes: int('AUDIO_MAX_BYTES', 50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    audioWorkers: int('AUDIO_WORKERS', 1, 1, 64),
    audioUploadBytesPerSecond: int('AUDIO_UPLOAD_BYTES_PER_SECOND', 64 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024),
    webhookAllowHttp: bool('WEBHOOK_ALLOW_HTTP'),
    webhookAllowPrivateUrls: bool('WEBHOOK_ALLOW_PRIVATE_URLS'),
    webhookRetryScheduleSeconds: parseRetrySchedule(read('WEBHOOK_RETRY_SCHEDULE'), problems),
    webhookTimeoutMs: int('WEBHOOK_TIMEOUT_MS', 15000, 100, 120000),
    webhookPollIntervalMs: int('WEBHOOK_POLL_INTERVAL_MS', 1000, 10, 60000),
    secretScanningPublicKeys: parsePublicKeys(read('SECRET_SCANNING_PUBLIC_KEYS'), problems),
    auditRetentionDays: int('AUDIT_RETENTION_DAYS', 365, 1, 36500),
    apiKeyExpiryCheckIntervalMs: int('API_KEY_EXPIRY_CHECK_INTERVAL_MS', 60000, 100, 86400000),
    modelJobPollIntervalMs: int('MODEL_JOB_POLL_INTERVAL_MS', 2000, 10, 600000),
    modelJobStaleAfterMs: int('MODEL_JOB_STALE_AFTER_MS', 60000, 100, 86400000),
  };
  if (problems.length > 0) throw new ConfigValidationError(problems);
  const missing = [
    ...(jwtSecret === undefined ? ['JWT_SECRET' as const] : []),
    ...(apiKeyPepper === undefined ? ['API_KEY_PEPPER' as const] : []),
  ];
  if (missing.length > 0) {
    const generated = developmentSecrets(config.dataDir, missing);
    config.jwtSecret = jwtSecret ?? generated.jwtSecret;
    config.apiKeyPepper = apiKeyPepper ?? generated.apiKeyPepper;
    config.developmentSecretsNotice = generated.notice;
  }
  return config;
}

function parseTrustProxy(raw: string | undefined, problems: string[]): false | string[] {
  if (raw === undefined || raw === 'false') return false;
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return true;
    if (bits === undefined) return false;
    const max = family === 4 ? 32 : 128;
    return !/^\d+$/.test(bits) || Number(bits) > max;
  });
  if (entries.length === 0 || bad.length > 0) {
    problems.push(
      `TRUST_PROXY must be "false" or a comma-separated list of IP addresses or CIDR ranges (bad: ${bad.join(', ') || raw})`,
    );
    return false;
  }
  return entries;
}

const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

function parseRetrySchedule(raw: string | undefined, problems: string[]): number[] {
  if (raw === undefined) return DEFAULT_RETRY_SCHEDULE;
  const delays = raw.split(',').map((entry) => entry.trim());
  if (delays.length > 50 || delays.some((delay) => !/^\d{1,6}$/.test(delay))) {
    problems.push(
      `WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of at most 50 delays in whole seconds (got "${raw}")`,
    );
    return DEFAULT_RETRY_SCHEDULE;
  }
  return delays.map(Number);
}

function parsePublicKeys(raw: string | undefined, problems: string[]): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  const problem = 'SECRET_SCANNING_PUBLIC_KEYS must be a JSON object of key id to PEM public key';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push(`${problem} (not valid JSON)`);
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(problem);
    return undefined;
  }
  const keys: Record<string, string> = {};
  for (const [id, pem] of Object.entries(parsed)) {
    try {
      if (typeof pem !== 'string') throw new Error();
      createPublicKey(pem);
      keys[id] = pem;
    } catch {
      problems.push(`${problem} (key "${id}" is not a PEM public key)`);
    }
  }
  return keys;
}

function parseCorsOrigins(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return [];
  const origins = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  const bad = origins.filter((origin) => {
    if (origin === '*') return false;
    try {
      const url = new URL(origin);
      return !['http:', 'https:'].includes(url.protocol) || url.origin !== origin;
    } catch {
      return true;
    }
  });
  if (bad.length > 0) {
    problems.push(
      `CORS_ORIGINS must be "*" or a comma-separated list of origins like https://app.example.com (bad: ${bad.join(', ')})`,
    );
  }
  return origins;
}
