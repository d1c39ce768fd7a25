import { Injectable } from '@nestjs/common';
import { DomainException, notFound } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { ModelJobRunner } from './model-job-runner';
import { ModelJob } from './model-job.entity';
import type { Track } from '../tracks/track.entity';
import type { SimilarTrack } from '../tracks/tracks.repository';
import { ModelsRepository } from './models.repository';
import { MIN_PLAYLIST_TRACKS, MIN_TRAINING_PLAYLISTS } from './training/model-training';

/** Training jobs of each account and recommendations from its trained models. */
@Injectable()
export class ModelsService {
  constructor(
    private readonly repository: ModelsRepository,
    private readonly runner: ModelJobRunner,
  ) {}

  /** Queues a job: 422 without enough playlists, 409 while the account has one queued or running. */
  async train(userId: string, name: string | null): Promise<ModelJob> {
    if ((await this.repository.countPlaylistsWithTracks(userId, MIN_PLAYLIST_TRACKS)) < MIN_TRAINING_PLAYLISTS) {
      throw new DomainException(ErrorCode.NotEnoughTrainingData);
    }
    const job = await this.repository.createJob(userId, name);
    if (!job) throw new DomainException(ErrorCode.TrainingJobActive);
    this.runner.poke();
    return job;
  }

  list(userId: string, limit: number, offset: number): Promise<{ data: ModelJob[]; total: number }> {
    return this.repository.list(userId, limit, offset);
  }

  async get(userId: string, jobId: string): Promise<ModelJob> {
    const job = await this.repository.find(userId, jobId);
    if (!job) throw notFound();
    return job;
  }

  /**
   * The seed's neighbours in the account's succeeded model (404 unknown/foreign model, 409 not
   * succeeded), its blended score as the similarity. A track added after training has none.
   */
  async recommend(userId: string, modelId: string, seed: Track, limit: number): Promise<SimilarTrack[]> {
    const job = await this.get(userId, modelId);
    if (job.status !== 'succeeded') throw new DomainException(ErrorCode.ModelNotReady);
    const neighbours = await this.repository.neighbours(job.id, seed.id, limit);
    return neighbours.map(({ track, score }) => ({ track, similarity: Math.round(score * 1e4) / 1e4 }));
  }
}
