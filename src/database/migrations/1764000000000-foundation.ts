import { MigrationInterface, QueryRunner } from 'typeorm';
import { PLAN_CATALOGUE } from '../../plans/plan-catalogue';

/** Users and the four plans of the guide (limits and scopes as data). */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plans (
        id text PRIMARY KEY,
        name text NOT NULL,
        rate_limit_requests_per_minute integer,
        rate_limit_requests_per_hour integer,
        rate_limit_requests_per_day integer,
        scopes text[] NOT NULL,
        sort_order smallint NOT NULL
      )`);
    const plans = Object.entries(PLAN_CATALOGUE).map(([id, plan], i) => [
      id,
      plan.name,
      plan.limits.minute,
      plan.limits.hour,
      plan.limits.day,
      [...plan.scopes],
      i + 1,
    ]);
    for (const plan of plans) {
      await q.query(
        `INSERT INTO plans (id, name, rate_limit_requests_per_minute, rate_limit_requests_per_hour, rate_limit_requests_per_day, scopes, sort_order)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        plan,
      );
    }
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        name text,
        role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
        plan_id text NOT NULL DEFAULT 'free' REFERENCES plans (id),
        rate_limit_requests_per_minute integer,
        rate_limit_requests_per_hour integer,
        rate_limit_requests_per_day integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE plans`);
  }
}
