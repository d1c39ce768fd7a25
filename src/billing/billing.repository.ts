import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface DayCount {
  date: string;
  total: number;
  failed: number;
}

/**
 * Requests per UTC day of one account's keys (deleted ones included) in [from, to). The key list
 * comes first so the scan runs on the (api_key_id, created_at) index over the period's partitions.
 */
const DAILY_SQL = `
  SELECT ((created_at AT TIME ZONE 'UTC')::date)::text AS date, count(*)::int AS total,
         count(*) FILTER (WHERE status_code >= 400)::int AS failed
  FROM api_key_usage
  WHERE api_key_id = ANY (ARRAY(SELECT id FROM api_keys WHERE user_id = $1))
    AND created_at >= $2 AND created_at < $3
  GROUP BY 1`;

const ACTIVE_KEYS_SQL = `
  SELECT count(*)::int AS count FROM api_keys
  WHERE user_id = $1 AND deleted_at IS NULL AND revoked_at IS NULL AND is_active
    AND (expires_at IS NULL OR expires_at > now())`;

/** The billing view's two queries, both computed in the database. */
@Injectable()
export class BillingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  daily(userId: string, from: Date, to: Date): Promise<DayCount[]> {
    return this.dataSource.query<DayCount[]>(DAILY_SQL, [userId, from, to]);
  }

  async activeKeys(userId: string): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(ACTIVE_KEYS_SQL, [userId]);
    return count;
  }
}
