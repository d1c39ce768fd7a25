import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each account's own catalogue: tracks and their audio features (`NULL` where unknown). */
export class Tracks1764000002000 implements MigrationInterface {
  name = 'Tracks1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tracks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title text NOT NULL,
        artist text NOT NULL,
        album text,
        duration_ms integer NOT NULL CHECK (duration_ms > 0),
        genre text,
        bpm double precision CHECK (bpm > 0),
        energy double precision CHECK (energy BETWEEN 0 AND 1),
        danceability double precision CHECK (danceability BETWEEN 0 AND 1),
        valence double precision CHECK (valence BETWEEN 0 AND 1),
        acousticness double precision CHECK (acousticness BETWEEN 0 AND 1),
        instrumentalness double precision CHECK (instrumentalness BETWEEN 0 AND 1),
        speechiness double precision CHECK (speechiness BETWEEN 0 AND 1),
        liveness double precision CHECK (liveness BETWEEN 0 AND 1),
        loudness_db double precision CHECK (loudness_db BETWEEN -60 AND 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tracks_user_created_idx ON tracks (user_id, created_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tracks`);
  }
}
