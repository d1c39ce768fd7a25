import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events outbox: one row per thing that happened to an account, written in the transaction of
 * the change itself. The audit log reads it; webhook deliveries are fanned out from it. Expiry
 * notices remember which `api_key.expiring`/`api_key.expired` events were raised, so every instance
 * raises each once.
 */
export class Events1764000007000 implements MigrationInterface {
  name = 'Events1764000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type text NOT NULL,
        data jsonb NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('user', 'admin', 'system', 'api_key')),
        actor_id uuid,
        ip text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX events_user_created_idx ON events (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX events_created_idx ON events (created_at)`);
    await q.query(`
      CREATE TABLE api_key_expiry_notices (
        api_key_id uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('7d', '1d', 'expired')),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (api_key_id, kind, expires_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_key_expiry_notices`);
    await q.query(`DROP TABLE events`);
  }
}
