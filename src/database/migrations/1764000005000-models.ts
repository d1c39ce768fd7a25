import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training jobs and the models they produce (each track's nearest neighbours). At most one queued or
 * running job per account, enforced by a partial unique index so two concurrent POSTs cannot both win.
 */
export class Models1764000005000 implements MigrationInterface {
  name = 'Models1764000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE model_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        progress double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
        metrics jsonb,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        runner_id text,
        heartbeat_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX model_jobs_user_created_idx ON model_jobs (user_id, created_at DESC, id)`);
    await q.query(
      `CREATE UNIQUE INDEX model_jobs_one_active_per_user ON model_jobs (user_id) WHERE status IN ('queued', 'running')`,
    );
    await q.query(`CREATE INDEX model_jobs_queued_idx ON model_jobs (created_at) WHERE status = 'queued'`);
    await q.query(`
      CREATE TABLE model_neighbours (
        model_id uuid NOT NULL REFERENCES model_jobs (id) ON DELETE CASCADE,
        track_id uuid NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
        rank smallint NOT NULL,
        neighbour_id uuid NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
        score double precision NOT NULL,
        PRIMARY KEY (model_id, track_id, rank)
      )`);
    await q.query(`CREATE INDEX model_neighbours_neighbour_idx ON model_neighbours (neighbour_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE model_neighbours`);
    await q.query(`DROP TABLE model_jobs`);
  }
}
