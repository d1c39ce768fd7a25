import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { columnsAsProperties, PreparedStatement } from '../database/prepared-statement';
import { Track } from './track.entity';

export interface SimilarTrack {
  track: Track;
  /** 0–1, four decimal places. */
  similarity: number;
}

/**
 * Distance between a track and the seed in [0, 1]: the mean of five per-feature distances (BPM
 * apart by 60 or more counts as fully different; the 0–1 features by their difference; genre
 * same or not). A feature unknown on either side counts as halfway.
 */
const DISTANCE_SQL = `(
  COALESCE(LEAST(ABS(t.bpm - CAST(:bpm AS double precision)) / 60.0, 1), 0.5)
  + COALESCE(ABS(t.energy - CAST(:energy AS double precision)), 0.5)
  + COALESCE(ABS(t.danceability - CAST(:danceability AS double precision)), 0.5)
  + COALESCE(ABS(t.valence - CAST(:valence AS double precision)), 0.5)
  + CASE WHEN t.genre IS NULL OR CAST(:genre AS text) IS NULL THEN 0.5
         WHEN lower(t.genre) = lower(CAST(:genre AS text)) THEN 0 ELSE 1 END
) / 5.0`;

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Every query of the `tracks` table; each is scoped to the owning account. */
@Injectable()
export class TracksRepository {
  private readonly findOwnedStatement: PreparedStatement<Track>;

  constructor(@InjectRepository(Track) private readonly tracks: Repository<Track>) {
    this.findOwnedStatement = new PreparedStatement(
      'tracks_find_owned',
      `SELECT ${columnsAsProperties(tracks.metadata, 't')} FROM tracks t WHERE t.id = $1 AND t.user_id = $2`,
    );
  }

  /** A page of the user's tracks, newest first (`q` searched in title, artist and album), and how many match. */
  findPage(userId: string, q: string | undefined, limit: number, offset: number): Promise<[Track[], number]> {
    const builder = this.tracks.createQueryBuilder('t').where('t.user_id = :userId', { userId });
    if (q !== undefined) {
      builder.andWhere(`(t.title ILIKE :q OR t.artist ILIKE :q OR t.album ILIKE :q)`, { q: `%${escapeLike(q)}%` });
    }
    return builder
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .limit(limit)
      .offset(offset)
      .getManyAndCount();
  }

  /** The hot read of `GET /tracks/{id}`, a prepared statement. */
  async findOwned(userId: string, trackId: string): Promise<Track | null> {
    const [row] = await this.findOwnedStatement.rows(this.tracks.manager.connection, [trackId, userId]);
    return row === undefined ? null : Object.assign(new Track(), row);
  }

  insert(track: Partial<Track>): Promise<Track> {
    return this.tracks.save(this.tracks.create(track));
  }

  save(track: Track): Promise<Track> {
    return this.tracks.save(track);
  }

  /** Whether the user had that track. */
  async deleteOwned(userId: string, trackId: string): Promise<boolean> {
    const result = await this.tracks.delete({ id: trackId, userId });
    return result.affected !== 0;
  }

  /** The user's other tracks, most similar to `seed` first (ties: newest first). */
  async mostSimilar(userId: string, seed: Track, limit: number): Promise<SimilarTrack[]> {
    const { entities, raw } = await this.tracks
      .createQueryBuilder('t')
      .addSelect(`1 - ${DISTANCE_SQL}`, 'similarity')
      .where('t.user_id = :userId AND t.id <> :seedId', { userId, seedId: seed.id })
      .setParameters({
        bpm: seed.bpm,
        energy: seed.energy,
        danceability: seed.danceability,
        valence: seed.valence,
        genre: seed.genre,
      })
      .orderBy('similarity', 'DESC')
      .addOrderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit)
      .getRawAndEntities<{ similarity: number | string }>();
    return entities.map((track, i) => ({ track, similarity: Math.round(Number(raw[i].similarity) * 1e4) / 1e4 }));
  }
}
