/** What the bench hands the conventional app through its environment. */
export interface Settings {
  port: number;
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
}

export function readSettings(env: Record<string, string | undefined>): Settings {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  return {
    port: Number(required('PORT')),
    databaseUrl: required('DATABASE_URL'),
    redisUrl: required('REDIS_URL'),
    redisKeyPrefix: required('REDIS_KEY_PREFIX'),
  };
}
