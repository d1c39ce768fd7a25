import type { Page } from '../pagination.js';
import { path, Resource } from '../resource.js';
import type { ListModelsParams, ModelJob, TrainModelParams } from '../types.js';

export interface WaitOptions {
  /** Between two looks at the job (default 1000 ms). */
  intervalMs?: number;
  /** Give up after this long (default 10 minutes): the promise rejects, the job goes on. */
  timeoutMs?: number;
}

export class ModelsResource extends Resource {
  /** `POST /models/train` (train:models, Pro+): queues a job (ConflictError while one is queued or running). */
  train(params: TrainModelParams = {}): Promise<ModelJob> {
    return this.client.post('/models/train', params);
  }

  /** `GET /models` (train:models): the first page of jobs, newest first. */
  list(params: ListModelsParams = {}): Promise<Page<ModelJob>> {
    return this.client.list('/models', params);
  }

  /** `GET /models/{id}` (train:models): status, progress, metrics. */
  get(id: string): Promise<ModelJob> {
    return this.client.get(path`/models/${id}`);
  }

  /** Polls `GET /models/{id}` until the job has `succeeded` or `failed`, and returns it. */
  async waitUntilFinished(id: string, { intervalMs = 1000, timeoutMs = 600_000 }: WaitOptions = {}): Promise<ModelJob> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.get(id);
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      if (Date.now() + intervalMs > deadline)
        throw new Error(`Training job ${id} still ${job.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
