import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ids of the usage batches written: the insert claims its batch's id here in the same statement,
 * so a batch retried after a write that did commit is not inserted twice. Claims are pruned after a
 * day by the usage upkeep (UsagePartitions).
 */
export class UsageBatches1764000010000 implements MigrationInterface {
  name = 'UsageBatches1764000010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE usage_batches (id uuid PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE usage_batches`);
  }
}
