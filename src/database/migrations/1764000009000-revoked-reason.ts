import { MigrationInterface, QueryRunner } from 'typeorm';

/** Why a key was revoked: by its owner, by rotation, or because it was found exposed in public. */
export class RevokedReason1764000009000 implements MigrationInterface {
  name = 'RevokedReason1764000009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE api_keys ADD COLUMN revoked_reason text CHECK (revoked_reason IN ('revoked', 'rotated', 'exposed'))`,
    );
    await q.query(`
      UPDATE api_keys k SET revoked_reason =
        CASE WHEN EXISTS (SELECT 1 FROM api_keys n WHERE n.rotated_from = k.id) THEN 'rotated' ELSE 'revoked' END
      WHERE revoked_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP COLUMN revoked_reason`);
  }
}
