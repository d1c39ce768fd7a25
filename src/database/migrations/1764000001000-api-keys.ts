import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys: only a peppered hash of each key, unique, so a key is found by one index look-up. */
export class ApiKeys1764000001000 implements MigrationInterface {
  name = 'ApiKeys1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL,
        environment text NOT NULL CHECK (environment IN ('development', 'staging', 'production')),
        key_prefix text NOT NULL,
        key_hash text NOT NULL,
        scopes text[] NOT NULL,
        rate_limit_requests_per_minute integer CHECK (rate_limit_requests_per_minute > 0),
        rate_limit_requests_per_hour integer CHECK (rate_limit_requests_per_hour > 0),
        rate_limit_requests_per_day integer CHECK (rate_limit_requests_per_day > 0),
        allowed_ips text[] NOT NULL DEFAULT '{}',
        is_active boolean NOT NULL DEFAULT true,
        expires_at timestamptz,
        revoked_at timestamptz,
        deleted_at timestamptz,
        last_used_at timestamptz,
        rotated_from uuid REFERENCES api_keys (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys (key_hash)`);
    await q.query(
      `CREATE INDEX api_keys_user_created_idx ON api_keys (user_id, created_at DESC) WHERE deleted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
