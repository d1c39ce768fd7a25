import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { columnsAsProperties, PreparedStatement } from '../database/prepared-statement';
import { Track } from '../tracks/track.entity';
import { CountedPlaylist, Playlist } from './playlist.entity';

const TRACK_COUNT_SQL = `(SELECT count(*) FROM playlist_tracks pt WHERE pt.playlist_id = p.id)`;

/** One playlist, row-locked for the length of a transaction, and the queries that change its entries. */
export class LockedPlaylist {
  constructor(
    private readonly manager: EntityManager,
    readonly playlist: Playlist,
  ) {}

  async trackCount(): Promise<number> {
    const [row] = await this.manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM playlist_tracks WHERE playlist_id = $1`,
      [this.playlist.id],
    );
    return row.n;
  }

  /** Which of `trackIds` are tracks of the playlist's owner. */
  async ownedTrackIds(trackIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.manager.query<{ id: string }[]>(
      `SELECT id FROM tracks WHERE user_id = $1 AND id = ANY($2::uuid[])`,
      [this.playlist.userId, trackIds],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Which of `trackIds` are already in the playlist. */
  async presentTrackIds(trackIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.manager.query<{ track_id: string }[]>(
      `SELECT track_id FROM playlist_tracks WHERE playlist_id = $1 AND track_id = ANY($2::uuid[])`,
      [this.playlist.id, trackIds],
    );
    return new Set(rows.map((row) => row.track_id));
  }

  /** Inserts `trackIds` in order at `position` (0..count), shifting the entries from there on. */
  async insertAt(trackIds: readonly string[], position: number): Promise<void> {
    await this.manager.query(
      `UPDATE playlist_tracks SET position = position + $3 WHERE playlist_id = $1 AND position >= $2`,
      [this.playlist.id, position, trackIds.length],
    );
    await this.manager.query(
      `INSERT INTO playlist_tracks (playlist_id, track_id, position)
       SELECT $1, track_id, $2 + ordinality - 1 FROM unnest($3::uuid[]) WITH ORDINALITY AS given (track_id, ordinality)`,
      [this.playlist.id, position, trackIds],
    );
    await this.touch();
  }

  /** Removes one entry (the trigger closes the gap); false when the track is not in the playlist. */
  async remove(trackId: string): Promise<boolean> {
    const result = await this.manager
      .createQueryBuilder()
      .delete()
      .from('playlist_tracks')
      .where('playlist_id = :playlistId AND track_id = :trackId', { playlistId: this.playlist.id, trackId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async touch(): Promise<void> {
    await this.manager.query(`UPDATE playlists SET updated_at = now() WHERE id = $1`, [this.playlist.id]);
  }
}

/** Every query of `playlists` and `playlist_tracks`; each one is scoped to the owning account. */
@Injectable()
export class PlaylistsRepository {
  private readonly tracksOfStatement: PreparedStatement<Track>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.tracksOfStatement = new PreparedStatement(
      'playlists_tracks_of',
      `SELECT ${columnsAsProperties(dataSource.getMetadata(Track), 't')}
       FROM playlist_tracks pt JOIN tracks t ON t.id = pt.track_id
       WHERE pt.playlist_id = $1 ORDER BY pt.position`,
    );
  }

  async list(userId: string, limit: number, offset: number): Promise<{ data: CountedPlaylist[]; total: number }> {
    const builder = this.dataSource
      .getRepository(Playlist)
      .createQueryBuilder('p')
      .addSelect(`${TRACK_COUNT_SQL}::int`, 'track_count')
      .where('p.user_id = :userId', { userId })
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit)
      .offset(offset);
    const [{ entities, raw }, total] = await Promise.all([
      builder.getRawAndEntities<{ track_count: number }>(),
      builder.getCount(),
    ]);
    return { data: entities.map((playlist, i) => ({ playlist, trackCount: raw[i].track_count })), total };
  }

  async find(userId: string, playlistId: string): Promise<CountedPlaylist | null> {
    const { entities, raw } = await this.dataSource
      .getRepository(Playlist)
      .createQueryBuilder('p')
      .addSelect(`${TRACK_COUNT_SQL}::int`, 'track_count')
      .where('p.id = :playlistId AND p.user_id = :userId', { playlistId, userId })
      .getRawAndEntities<{ track_count: number }>();
    return entities.length === 0 ? null : { playlist: entities[0], trackCount: raw[0].track_count };
  }

  /** The playlist's tracks in playlist order (up to 10,000 rows: no per-row entity transformation). */
  async tracksOf(playlistId: string): Promise<Track[]> {
    const rows = await this.tracksOfStatement.rows(this.dataSource, [playlistId]);
    return rows.map((row) => Object.assign(new Track(), row));
  }

  /**
   * Runs `work` in one transaction holding the playlist's row lock (`FOR UPDATE`), so concurrent
   * changes to the same playlist queue up instead of computing positions from the same state.
   * `create` makes the playlist first, inside the same transaction. `null` when there is no such
   * playlist of that account.
   */
  withLockedPlaylist<T>(
    userId: string,
    target: { playlistId: string } | { create: Pick<Playlist, 'name' | 'description'> },
    work: (locked: LockedPlaylist) => Promise<T>,
  ): Promise<T | null> {
    return this.dataSource.transaction(async (manager) => {
      const playlists = manager.getRepository(Playlist);
      const playlist =
        'create' in target
          ? await playlists.save(playlists.create({ userId, ...target.create }))
          : await playlists
              .createQueryBuilder('p')
              .setLock('pessimistic_write')
              .where('p.id = :id AND p.user_id = :userId', { id: target.playlistId, userId })
              .getOne();
      return playlist ? work(new LockedPlaylist(manager, playlist)) : null;
    });
  }

  /** Changes name and/or description; false when there is no such playlist of that account. */
  async update(
    userId: string,
    playlistId: string,
    changes: Partial<Pick<Playlist, 'name' | 'description'>>,
  ): Promise<boolean> {
    const result = await this.dataSource.getRepository(Playlist).update({ id: playlistId, userId }, changes);
    return (result.affected ?? 0) > 0;
  }

  async delete(userId: string, playlistId: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(Playlist).delete({ id: playlistId, userId });
    return (result.affected ?? 0) > 0;
  }
}
