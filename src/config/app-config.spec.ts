import { generateKeyPairSync } from 'node:crypto';
import { ConfigValidationError, loadConfig } from './app-config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected loadConfig to refuse the environment');
};

describe(loadConfig.name, () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      dataDir: './.data',
      jwtExpiresInSeconds: 3600,
      authRateLimitPerMinute: 10,
      trustProxy: false,
      redisKeyPrefix: 'tt:',
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(16);
  });

  it('reads every variable it is given', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/tt',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET: 'a-production-secret-long-enough',
      JWT_EXPIRES_IN_SECONDS: '600',
      API_KEY_PEPPER: 'pepper',
      ADMIN_EMAIL: 'Ops@Example.com',
      ADMIN_PASSWORD: 'ten chars!!',
      AUTH_RATE_LIMIT_PER_MINUTE: '5',
      TRUST_PROXY: '10.0.0.0/8, 192.168.1.1',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      port: 8080,
      databaseUrl: 'postgres://u:p@db:5432/tt',
      redisUrl: 'redis://cache:6379',
      jwtSecret: 'a-production-secret-long-enough',
      jwtExpiresInSeconds: 600,
      adminEmail: 'ops@example.com',
      authRateLimitPerMinute: 5,
      trustProxy: ['10.0.0.0/8', '192.168.1.1'],
    });
  });

  it('names each bad variable in one message', () => {
    const env = {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/tt',
      REDIS_URL: 'http://cache',
      LOG_LEVEL: 'loud',
      JWT_SECRET: 'short',
      AUTH_RATE_LIMIT_PER_MINUTE: '0',
      TRUST_PROXY: 'not-an-ip',
      REDIS_CLUSTER_NODES: 'no-port',
    };
    expect(() => loadConfig(env)).toThrow(ConfigValidationError);
    const problems = problemsOf(env);
    for (const name of Object.keys(env)) {
      expect(problems.some((problem) => problem.startsWith(name))).toBe(true);
    }
    expect(problems).toHaveLength(Object.keys(env).length);
  });

  it('sizes audio analysis: 50 MiB, one worker, uploads read at 64 MiB/s by default, bounded values otherwise', () => {
    expect(loadConfig({})).toMatchObject({
      audioMaxBytes: 50 * 1024 * 1024,
      audioWorkers: 1,
      audioUploadBytesPerSecond: 64 * 1024 * 1024,
    });
    expect(
      loadConfig({ AUDIO_MAX_BYTES: '1048576', AUDIO_WORKERS: '2', AUDIO_UPLOAD_BYTES_PER_SECOND: '2097152' }),
    ).toMatchObject({ audioMaxBytes: 1048576, audioWorkers: 2, audioUploadBytesPerSecond: 2097152 });
    expect(problemsOf({ AUDIO_MAX_BYTES: '10', AUDIO_WORKERS: '0', AUDIO_UPLOAD_BYTES_PER_SECOND: '1000' })).toEqual([
      expect.stringContaining('AUDIO_MAX_BYTES'),
      expect.stringContaining('AUDIO_WORKERS'),
      expect.stringContaining('AUDIO_UPLOAD_BYTES_PER_SECOND'),
    ]);
  });

  it('refuses production without JWT_SECRET, saying so', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', API_KEY_PEPPER: 'pepper' })).toThrow(
      'Invalid configuration: JWT_SECRET is required when NODE_ENV=production',
    );
  });

  it('requires ADMIN_EMAIL and ADMIN_PASSWORD together, with a 10-character password', () => {
    expect(problemsOf({ ADMIN_EMAIL: 'ops@example.com' })).toEqual([
      'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    ]);
    expect(problemsOf({ ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'short' })).toEqual([
      'ADMIN_PASSWORD must be at least 10 characters',
    ]);
  });

  it('reads the webhook, secret-scanning and audit settings', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    const config = loadConfig({
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_SCHEDULE: '1, 2,3',
      WEBHOOK_TIMEOUT_MS: '500',
      SECRET_SCANNING_PUBLIC_KEYS: JSON.stringify({ k1: pem }),
      AUDIT_RETENTION_DAYS: '30',
    });
    expect(config).toMatchObject({
      webhookAllowHttp: true,
      webhookAllowPrivateUrls: true,
      webhookRetryScheduleSeconds: [1, 2, 3],
      webhookTimeoutMs: 500,
      secretScanningPublicKeys: { k1: pem },
      auditRetentionDays: 30,
    });
  });

  it('defaults to https-only public webhook URLs, the contract schedule, a 15 s timeout and a year of audit log', () => {
    expect(loadConfig({})).toMatchObject({
      webhookAllowHttp: false,
      webhookAllowPrivateUrls: false,
      webhookRetryScheduleSeconds: [5, 300, 1800, 7200, 18000, 36000, 36000],
      webhookTimeoutMs: 15000,
      secretScanningPublicKeys: undefined,
      auditRetentionDays: 365,
    });
  });

  it('names each bad webhook and secret-scanning variable', () => {
    const problems = problemsOf({
      WEBHOOK_ALLOW_HTTP: 'yes',
      WEBHOOK_RETRY_SCHEDULE: '5,soon',
      SECRET_SCANNING_PUBLIC_KEYS: '{"k1":"not a key"}',
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('WEBHOOK_ALLOW_HTTP');
    expect(problems[1]).toContain('WEBHOOK_RETRY_SCHEDULE');
    expect(problems[2]).toContain('SECRET_SCANNING_PUBLIC_KEYS');
    expect(problemsOf({ SECRET_SCANNING_PUBLIC_KEYS: '[1]' })[0]).toContain('SECRET_SCANNING_PUBLIC_KEYS');
  });
});
