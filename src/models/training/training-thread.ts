import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { NotEnoughTrainingDataError, TrainedModel, TrainingData } from './model-training';

export type TrainingMessage =
  | { type: 'progress'; progress: number }
  | { type: 'done'; model: TrainedModel }
  | { type: 'failed'; notEnoughData: boolean; message: string };

// The worker script sits beside this file: `.js` in the built dist/, `.ts` under ts-jest, where the
// thread (which jest's transform does not reach) compiles it with ts-node's transpile-only hook.
const SCRIPT = join(__dirname, `training.worker${extname(__filename)}`);
const EXEC_ARGV = extname(__filename) === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : [];

/** One training run in its own worker thread, off the event loop; `cancel()` ends it at once. */
export class TrainingThread {
  private readonly worker: Worker;
  readonly result: Promise<TrainedModel>;

  constructor(data: TrainingData, onProgress: (progress: number) => void) {
    this.worker = new Worker(SCRIPT, { workerData: data, execArgv: EXEC_ARGV });
    this.result = new Promise<TrainedModel>((resolve, reject) => {
      this.worker.on('message', (message: TrainingMessage) => {
        if (message.type === 'progress') onProgress(message.progress);
        else if (message.type === 'done') resolve(message.model);
        else reject(message.notEnoughData ? new NotEnoughTrainingDataError() : new Error(message.message));
      });
      this.worker.on('error', reject);
      this.worker.on('exit', (code) => reject(new Error(`training thread exited (code ${code})`)));
    });
  }

  async cancel(): Promise<void> {
    await this.worker.terminate();
  }
}
