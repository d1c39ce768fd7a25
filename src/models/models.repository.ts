import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { Track } from '../tracks/track.entity';
import { ModelJob } from './model-job.entity';
import type { TrainedModel, TrainingData } from './training/model-training';

const UNIQUE_VIOLATION = '23505';
/** Neighbour rows per INSERT (six parameters' worth of arrays each, far below any statement limit). */
const INSERT_CHUNK = 5000;

export interface RankedNeighbour {
  track: Track;
  score: number;
}

/**
 * Every query of `model_jobs` and `model_neighbours`, and the reads of the account's tracks and
 * playlists a model is trained from. Runner-side writes name the runner, so an instance that lost
 * a job (taken back after its heartbeat stopped) cannot overwrite what another one does with it.
 */
@Injectable()
export class ModelsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get jobs() {
    return this.dataSource.getRepository(ModelJob);
  }

  /** A queued job, or `null` when the account already has one queued or running. */
  async createJob(userId: string, name: string | null): Promise<ModelJob | null> {
    try {
      return await this.jobs.save(this.jobs.create({ userId, name, status: 'queued', progress: 0, attempts: 0 }));
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION)
        return null;
      throw error;
    }
  }

  async list(userId: string, limit: number, offset: number): Promise<{ data: ModelJob[]; total: number }> {
    const [data, total] = await this.jobs.findAndCount({
      where: { userId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { data, total };
  }

  find(userId: string, jobId: string): Promise<ModelJob | null> {
    return this.jobs.findOneBy({ id: jobId, userId });
  }

  /** Playlists with at least `minTracks` entries (enough to say whether training can start). */
  async countPlaylistsWithTracks(userId: string, minTracks: number): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM playlists p
        WHERE p.user_id = $1 AND (SELECT count(*) FROM playlist_tracks pt WHERE pt.playlist_id = p.id) >= $2`,
      [userId, minTracks],
    );
    return row.n;
  }

  /** The account's tracks (features) and playlists (track ids in order) as the trainer takes them. */
  async trainingData(userId: string): Promise<TrainingData> {
    const tracks = await this.dataSource.query<TrainingData['tracks']>(
      `SELECT id, bpm, energy, danceability, valence, genre FROM tracks WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    const rows = await this.dataSource.query<{ track_ids: string[] }[]>(
      `SELECT array_agg(pt.track_id ORDER BY pt.position) AS track_ids
         FROM playlists p JOIN playlist_tracks pt ON pt.playlist_id = p.id
        WHERE p.user_id = $1 GROUP BY p.id ORDER BY p.created_at, p.id`,
      [userId],
    );
    return { tracks, playlists: rows.map((row) => row.track_ids) };
  }

  /** Claims the oldest queued job for `runnerId`; `FOR UPDATE SKIP LOCKED` lets each instance take a different one. */
  claimNext(runnerId: string): Promise<ModelJob | null> {
    return this.dataSource.transaction(async (manager) => {
      const next = await manager
        .getRepository(ModelJob)
        .createQueryBuilder('j')
        .where(`j.status = 'queued'`)
        .orderBy('j.created_at', 'ASC')
        .addOrderBy('j.id', 'ASC')
        .limit(1)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getOne();
      if (!next) return null;
      await manager.query(
        `UPDATE model_jobs SET status = 'running', runner_id = $2, attempts = attempts + 1, progress = 0,
                started_at = now(), heartbeat_at = now()
          WHERE id = $1`,
        [next.id, runnerId],
      );
      return manager.getRepository(ModelJob).findOneByOrFail({ id: next.id });
    });
  }

  /** Progress and heartbeat; false when the job is no longer this runner's. */
  async reportProgress(jobId: string, runnerId: string, progress: number): Promise<boolean> {
    const result = await this.jobs
      .createQueryBuilder()
      .update()
      .set({ progress, heartbeatAt: () => 'now()' })
      .where(`id = :jobId AND runner_id = :runnerId AND status = 'running'`, { jobId, runnerId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Stores the neighbours and marks the job succeeded, in one transaction; false when it is no longer this runner's. */
  succeed(job: ModelJob, runnerId: string, trackIds: readonly string[], model: TrainedModel): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const owned = await manager
        .getRepository(ModelJob)
        .createQueryBuilder('j')
        .setLock('pessimistic_write')
        .where(`j.id = :id AND j.runner_id = :runnerId AND j.status = 'running'`, { id: job.id, runnerId })
        .getOne();
      if (!owned) return false;
      const rows: { track: string[]; rank: number[]; neighbour: string[]; score: number[] } = {
        track: [],
        rank: [],
        neighbour: [],
        score: [],
      };
      const flush = async () => {
        if (rows.track.length === 0) return;
        // Tracks deleted since the data was read are skipped (the join), not a foreign-key error.
        await manager.query(
          `INSERT INTO model_neighbours (model_id, track_id, rank, neighbour_id, score)
           SELECT $1, r.track_id, r.rank, r.neighbour_id, r.score
             FROM unnest($2::uuid[], $3::smallint[], $4::uuid[], $5::double precision[])
                  AS r (track_id, rank, neighbour_id, score)
             JOIN tracks a ON a.id = r.track_id JOIN tracks b ON b.id = r.neighbour_id`,
          [job.id, rows.track, rows.rank, rows.neighbour, rows.score],
        );
        for (const list of Object.values(rows)) list.length = 0;
      };
      for (let i = 0; i < trackIds.length; i++) {
        for (let rank = 0; rank < model.counts[i]; rank++) {
          rows.track.push(trackIds[i]);
          rows.rank.push(rank);
          rows.neighbour.push(trackIds[model.neighbours[i * model.perTrack + rank]]);
          rows.score.push(model.scores[i * model.perTrack + rank]);
          if (rows.track.length >= INSERT_CHUNK) await flush();
        }
      }
      await flush();
      await manager.query(
        `UPDATE model_jobs SET status = 'succeeded', progress = 1, metrics = $2, runner_id = NULL, finished_at = now()
          WHERE id = $1`,
        [job.id, JSON.stringify(model.metrics)],
      );
      return true;
    });
  }

  async fail(jobId: string, runnerId: string, error: string): Promise<void> {
    await this.jobs
      .createQueryBuilder()
      .update()
      .set({ status: 'failed', error, runnerId: null, finishedAt: () => 'now()' })
      .where(`id = :jobId AND runner_id = :runnerId AND status = 'running'`, { jobId, runnerId })
      .execute();
  }

  /** Puts this runner's running job back in the queue (a graceful shutdown hands it to the next instance). */
  async requeue(jobId: string, runnerId: string): Promise<void> {
    await this.jobs
      .createQueryBuilder()
      .update()
      .set({ status: 'queued', progress: 0, runnerId: null, heartbeatAt: null, startedAt: null })
      .where(`id = :jobId AND runner_id = :runnerId AND status = 'running'`, { jobId, runnerId })
      .execute();
  }

  /**
   * Running jobs whose runner went silent for `staleAfterMs` (its process died): queued again, or
   * failed once they have been claimed `maxAttempts` times. Returns how many were taken back.
   */
  async recoverStale(staleAfterMs: number, maxAttempts: number, error: string): Promise<number> {
    const result = await this.jobs
      .createQueryBuilder()
      .update()
      .set({
        status: () => `CASE WHEN attempts >= :maxAttempts THEN 'failed' ELSE 'queued' END`,
        error: () => `CASE WHEN attempts >= :maxAttempts THEN CAST(:error AS text) ELSE NULL END`,
        finishedAt: () => `CASE WHEN attempts >= :maxAttempts THEN now() ELSE NULL END`,
        progress: 0,
        runnerId: null,
        heartbeatAt: null,
        startedAt: null,
      })
      .where(`status = 'running' AND heartbeat_at < now() - make_interval(secs => :staleSeconds)`)
      .setParameters({ maxAttempts, error, staleSeconds: staleAfterMs / 1000 })
      .execute();
    return result.affected ?? 0;
  }

  /** The seed's stored neighbours, best first (tracks deleted since training are gone with their rows). */
  async neighbours(modelId: string, seedTrackId: string, limit: number): Promise<RankedNeighbour[]> {
    const { entities, raw } = await this.dataSource
      .getRepository(Track)
      .createQueryBuilder('t')
      .innerJoin('model_neighbours', 'mn', 'mn.neighbour_id = t.id')
      .addSelect('mn.score', 'score')
      .where('mn.model_id = :modelId AND mn.track_id = :seedTrackId', { modelId, seedTrackId })
      .orderBy('mn.rank', 'ASC')
      .limit(limit)
      .getRawAndEntities<{ score: number }>();
    return entities.map((track, i) => ({ track, score: Number(raw[i].score) }));
  }
}
