import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an analysed recording adds to a track: its measures, where the features came from and when.
 * The loudness check loses its −60 dB floor: a measured recording can be quieter than that
 * (hand-set values are still validated to −60–0 by the API).
 */
export class AudioAnalysis1764000006000 implements MigrationInterface {
  name = 'AudioAnalysis1764000006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tracks
        ADD COLUMN features_source text NOT NULL DEFAULT 'manual' CHECK (features_source IN ('analysis', 'manual')),
        ADD COLUMN analyzed_at timestamptz,
        ADD COLUMN analyzed_duration_ms integer CHECK (analyzed_duration_ms >= 0),
        ADD COLUMN rms double precision CHECK (rms BETWEEN 0 AND 1),
        ADD COLUMN spectral_centroid_hz double precision CHECK (spectral_centroid_hz >= 0),
        ADD COLUMN zero_crossing_rate double precision CHECK (zero_crossing_rate BETWEEN 0 AND 1)`);
    await q.query(`ALTER TABLE tracks DROP CONSTRAINT tracks_loudness_db_check`);
    await q.query(`ALTER TABLE tracks ADD CONSTRAINT tracks_loudness_db_check CHECK (loudness_db <= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE tracks SET loudness_db = -60 WHERE loudness_db < -60`);
    await q.query(`ALTER TABLE tracks DROP CONSTRAINT tracks_loudness_db_check`);
    await q.query(`ALTER TABLE tracks ADD CONSTRAINT tracks_loudness_db_check CHECK (loudness_db BETWEEN -60 AND 0)`);
    await q.query(`
      ALTER TABLE tracks
        DROP COLUMN features_source,
        DROP COLUMN analyzed_at,
        DROP COLUMN analyzed_duration_ms,
        DROP COLUMN rms,
        DROP COLUMN spectral_centroid_hz,
        DROP COLUMN zero_crossing_rate`);
  }
}
