import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Playlists and their ordered entries. Positions are dense (0..n-1): inserting shifts the rows after
 * the insertion point, and a statement-level trigger closes the gaps whatever removed entries (a
 * removal from the playlist, or a track deleted from the catalogue through the cascade).
 */
export class Playlists1764000004000 implements MigrationInterface {
  name = 'Playlists1764000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE playlists (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX playlists_user_created_idx ON playlists (user_id, created_at DESC, id)`);
    // The position constraint is checked at the end of each statement (DEFERRABLE), so one UPDATE can
    // shift a run of positions by k without colliding with itself row by row.
    await q.query(`
      CREATE TABLE playlist_tracks (
        playlist_id uuid NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
        track_id uuid NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 0),
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (playlist_id, track_id),
        CONSTRAINT playlist_tracks_position_key UNIQUE (playlist_id, position) DEFERRABLE INITIALLY IMMEDIATE
      )`);
    await q.query(`CREATE INDEX playlist_tracks_track_idx ON playlist_tracks (track_id)`);
    await q.query(`
      CREATE FUNCTION playlist_tracks_renumber() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE playlist_tracks pt
           SET position = ordered.new_position
          FROM (SELECT playlist_id, track_id,
                       (row_number() OVER (PARTITION BY playlist_id ORDER BY position) - 1)::integer AS new_position
                  FROM playlist_tracks
                 WHERE playlist_id IN (SELECT DISTINCT playlist_id FROM removed)) ordered
         WHERE pt.playlist_id = ordered.playlist_id
           AND pt.track_id = ordered.track_id
           AND pt.position <> ordered.new_position;
        UPDATE playlists SET updated_at = now() WHERE id IN (SELECT DISTINCT playlist_id FROM removed);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER playlist_tracks_renumber_after_delete
        AFTER DELETE ON playlist_tracks
        REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION playlist_tracks_renumber()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE playlist_tracks`);
    await q.query(`DROP FUNCTION playlist_tracks_renumber()`);
    await q.query(`DROP TABLE playlists`);
  }
}
