import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * One statement per batch whatever its size, its text constant (one plan), far from the
 * 65,535-parameter limit: rows travel as arrays that `unnest` turns back into rows, with keys,
 * endpoints and client addresses as dictionaries indexed by position (see `encodeUsageRows`).
 * The statement first claims the batch's id ($12) in `usage_batches` and inserts the rows only if
 * the claim is new: one statement is atomic, so a retry of a batch that did commit (its connection
 * cut before the answer came) inserts nothing.
 */
export const INSERT_USAGE_ROWS_SQL = `
  WITH claimed AS (INSERT INTO usage_batches (id) VALUES ($12::uuid) ON CONFLICT DO NOTHING RETURNING 1)
  INSERT INTO api_key_usage (created_at, api_key_id, user_id, method, route, status_code, response_time_ms, client_ip)
  SELECT to_timestamp(row.created_ms / 1000), ($2::uuid[])[row.key], ($3::uuid[])[row.key],
         ($4::text[])[row.endpoint], ($5::text[])[row.endpoint], row.status_code, row.response_time_ms,
         ($6::text[])[row.client]
  FROM unnest($1::float8[], $7::int4[], $8::int4[], $9::int2[], $10::float4[], $11::int4[])
    AS row (created_ms, key, endpoint, status_code, response_time_ms, client)
  WHERE EXISTS (SELECT 1 FROM claimed)`;

/** One key's rows in the period, grouped in the database: a handful of rows come back. */
export const KEY_USAGE_SQL = `
  SELECT route, status_code, count(*)::int AS requests, sum(response_time_ms)::float8 AS total_ms
  FROM api_key_usage
  WHERE api_key_id = $1 AND created_at >= $2 AND created_at <= $3
  GROUP BY route, status_code`;

/** The account's keys' rows in the period, grouped three ways in one scan. */
const ACCOUNT_USAGE_SQL = `
  SELECT key_id, day, status_code, count(*)::int AS requests, count(*) FILTER (WHERE status_code >= 400)::int AS failed
  FROM (
    SELECT api_key_id AS key_id, ((created_at AT TIME ZONE 'UTC')::date)::text AS day, status_code
    FROM api_key_usage
    WHERE api_key_id = ANY($1::uuid[]) AND created_at >= $2 AND created_at <= $3
  ) AS usage
  GROUP BY GROUPING SETS ((key_id), (day), (status_code))`;

/** Requests per UTC day of the given keys in [start, end): the billing view. */
const DAILY_TOTALS_SQL = `
  SELECT ((created_at AT TIME ZONE 'UTC')::date)::text AS date, count(*)::int AS total,
         count(*) FILTER (WHERE status_code >= 400)::int AS failed
  FROM api_key_usage
  WHERE api_key_id = ANY($1::uuid[]) AND created_at >= $2 AND created_at < $3
  GROUP BY 1`;

export interface DailyTotalsRow {
  date: string;
  total: number;
  failed: number;
}

export interface KeyUsageRow {
  route: string;
  status_code: number;
  requests: number;
  total_ms: number;
}

/** One grouping of the account's rows: exactly one of `key_id`, `day`, `status_code` is set. */
export interface AccountUsageRow {
  key_id: string | null;
  day: string | null;
  status_code: number | null;
  requests: number;
  failed: number;
}

/** Every query of the `api_key_usage` table and its daily partitions. */
@Injectable()
export class UsageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts one batch encoded by `encodeUsageRows`, unless the batch `batchId` was written already. */
  async insertEncoded(batchId: string, parameters: string[]): Promise<void> {
    await this.dataSource.query(INSERT_USAGE_ROWS_SQL, [...parameters, batchId]);
  }

  /** Deletes the claims of batches written more than `olderThanHours` ago (no retry comes that late); how many. */
  async pruneBatchClaims(olderThanHours: number): Promise<number> {
    const [{ pruned }] = await this.dataSource.query<{ pruned: number }[]>(
      `WITH pruned AS (DELETE FROM usage_batches WHERE written_at < now() - make_interval(hours => $1) RETURNING 1)
       SELECT count(*)::int AS pruned FROM pruned`,
      [olderThanHours],
    );
    return pruned;
  }

  keyUsage(keyId: string, start: Date, end: Date): Promise<KeyUsageRow[]> {
    return this.dataSource.query<KeyUsageRow[]>(KEY_USAGE_SQL, [keyId, start, end]);
  }

  accountUsage(keyIds: readonly string[], start: Date, end: Date): Promise<AccountUsageRow[]> {
    return this.dataSource.query<AccountUsageRow[]>(ACCOUNT_USAGE_SQL, [keyIds, start, end]);
  }

  dailyTotals(keyIds: readonly string[], start: Date, end: Date): Promise<DailyTotalsRow[]> {
    return this.dataSource.query<DailyTotalsRow[]>(DAILY_TOTALS_SQL, [keyIds, start, end]);
  }

  /** Creates the daily partitions from `daysBack` days ago to `daysAhead` ahead, drops expired ones; how many it dropped. */
  async maintainPartitions(daysBack: number, daysAhead: number, retentionDays: number): Promise<number> {
    const [{ dropped }] = await this.dataSource.query<{ dropped: number }[]>(
      'SELECT api_key_usage_maintain($1, $2, $3) AS dropped',
      [daysBack, daysAhead, retentionDays],
    );
    return dropped;
  }
}
