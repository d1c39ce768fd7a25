import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { ModelJob } from './model-job.entity';
import { ModelsRepository } from './models.repository';
import { NotEnoughTrainingDataError } from './training/model-training';
import { TrainingThread } from './training/training-thread';

/** Claims after which a job cut off again is failed instead of queued (it may be what kills the process). */
export const MAX_ATTEMPTS = 3;
export const INTERRUPTED_ERROR = `Training was interrupted ${MAX_ATTEMPTS} times (the instance running it stopped)`;

/**
 * Runs the queued training jobs, one at a time per instance, each in a worker thread. Any number of
 * instances may run this: a job is claimed with `FOR UPDATE SKIP LOCKED`, so exactly one takes it.
 * While it runs, progress doubles as a heartbeat; a job whose instance died is taken back once its
 * heartbeat is `MODEL_JOB_STALE_AFTER_MS` old, and a graceful shutdown puts its job back at once.
 */
@Injectable()
export class ModelJobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ModelJobRunner.name);
  private readonly runnerId = randomUUID();
  private timer?: NodeJS.Timeout;
  private stopping = false;
  private working: Promise<void> | null = null;
  private pokedWhileWorking = false;
  private thread: TrainingThread | null = null;

  constructor(
    private readonly repository: ModelsRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.poke(), this.config.modelJobPollIntervalMs);
    this.timer.unref();
    this.poke();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.thread?.cancel();
    await this.working;
  }

  /** Looks for work now (the timer does, and a POST /models/train). */
  poke(): void {
    if (this.stopping) return;
    if (this.working) {
      this.pokedWhileWorking = true;
      return;
    }
    this.working = this.work()
      .catch((error: Error) => this.logger.error(`Training job loop failed: ${error.message}`, error.stack))
      .finally(() => {
        this.working = null;
        if (this.pokedWhileWorking) {
          this.pokedWhileWorking = false;
          this.poke();
        }
      });
  }

  private async work(): Promise<void> {
    const recovered = await this.repository.recoverStale(
      this.config.modelJobStaleAfterMs,
      MAX_ATTEMPTS,
      INTERRUPTED_ERROR,
    );
    if (recovered > 0) this.logger.warn(`Took back ${recovered} training job(s) whose instance stopped`);
    while (!this.stopping) {
      const job = await this.repository.claimNext(this.runnerId);
      if (!job) return;
      await this.run(job);
    }
  }

  private async run(job: ModelJob): Promise<void> {
    let progress = 0;
    let lost = false;
    const data = await this.repository.trainingData(job.userId);
    if (this.stopping) return this.repository.requeue(job.id, this.runnerId);
    const thread = (this.thread = new TrainingThread(data, (value) => (progress = value)));
    const heartbeat = setInterval(
      () => {
        this.repository
          .reportProgress(job.id, this.runnerId, progress)
          .then((mine) => {
            if (mine || lost) return;
            lost = true;
            this.logger.warn(`Training job ${job.id} was taken back by another instance; stopping it here`);
            return thread.cancel();
          })
          .catch((error: Error) => this.logger.warn(`Training heartbeat failed: ${error.message}`));
      },
      Math.min(1000, this.config.modelJobStaleAfterMs / 4),
    );
    try {
      const model = await thread.result;
      const stored = await this.repository.succeed(
        job,
        this.runnerId,
        data.tracks.map((track) => track.id),
        model,
      );
      if (stored) this.logger.log(`Training job ${job.id} succeeded`);
    } catch (error) {
      if (this.stopping) {
        await this.repository.requeue(job.id, this.runnerId);
      } else if (!lost) {
        const message =
          error instanceof NotEnoughTrainingDataError ? error.message : `Training failed: ${(error as Error).message}`;
        this.logger.warn(`Training job ${job.id} failed: ${message}`);
        await this.repository.fail(job.id, this.runnerId, message);
      }
    } finally {
      clearInterval(heartbeat);
      this.thread = null;
      await thread.cancel();
    }
  }
}
