import { Client } from 'pg';

/** Polls `probe` until `done` holds (usage rows are written a few ms after the response), then returns its last value. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Usage rows in the database at `databaseUrl` (read directly, not through the service), of one key or of all. */
export async function countUsageRows(databaseUrl: string, apiKeyId?: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM api_key_usage WHERE $1::uuid IS NULL OR api_key_id = $1::uuid',
      [apiKeyId ?? null],
    );
    return rows[0].count;
  } finally {
    await client.end();
  }
}
