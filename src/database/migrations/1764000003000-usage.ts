import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage rows, designed for volume: partitioned by day on `created_at` so retention drops whole
 * partitions (no DELETE, no bloat) and a period query touches only its days. No foreign keys: rows
 * outlive deleted keys and are written in bulk. The partitions themselves come from
 * `api_key_usage_maintain`, which the service calls at start-up and every hour.
 */
export class Usage1764000003000 implements MigrationInterface {
  name = 'Usage1764000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_key_usage (
        created_at timestamptz NOT NULL,
        api_key_id uuid NOT NULL,
        user_id uuid NOT NULL,
        response_time_ms real NOT NULL,
        status_code smallint NOT NULL,
        method text NOT NULL,
        route text NOT NULL,
        client_ip text NOT NULL
      ) PARTITION BY RANGE (created_at)`);
    // The one index: both usage queries read only these columns, so each is an index-only scan of
    // its keys' days (GET /analytics/usage passes the account's key ids, deleted keys included).
    // Every extra index costs insert throughput, which the buffer needs (see README "Usage").
    await q.query(`
      CREATE INDEX api_key_usage_key_time_idx ON api_key_usage (api_key_id, created_at)
        INCLUDE (status_code, response_time_ms, route)`);
    // Creates the daily partitions from `days_back` days ago to `days_ahead` days ahead (UTC days)
    // and drops those older than `retention_days`. One transaction under an advisory lock, so
    // instances starting together do not race. Returns how many partitions it dropped.
    await q.query(`
      CREATE FUNCTION api_key_usage_maintain(days_back integer, days_ahead integer, retention_days integer)
      RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        today date := (now() AT TIME ZONE 'UTC')::date;
        day date;
        partition_name text;
        dropped integer := 0;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('api_key_usage_maintain'));
        FOR day IN SELECT d::date FROM generate_series(today - LEAST(days_back, retention_days), today + days_ahead, interval '1 day') AS d LOOP
          EXECUTE format(
            'CREATE TABLE IF NOT EXISTS %I PARTITION OF api_key_usage FOR VALUES FROM (%L) TO (%L)',
            'api_key_usage_p' || to_char(day, 'YYYYMMDD'),
            day::timestamp AT TIME ZONE 'UTC',
            (day + 1)::timestamp AT TIME ZONE 'UTC');
        END LOOP;
        FOR partition_name IN
          SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'api_key_usage'::regclass
            AND c.relname ~ '^api_key_usage_p[0-9]{8}$'
            AND to_date(right(c.relname, 8), 'YYYYMMDD') < today - retention_days
        LOOP
          EXECUTE format('DROP TABLE %I', partition_name);
          dropped := dropped + 1;
        END LOOP;
        RETURN dropped;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION api_key_usage_maintain(integer, integer, integer)`);
    await q.query(`DROP TABLE api_key_usage`);
  }
}
