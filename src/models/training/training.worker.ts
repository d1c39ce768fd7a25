import { parentPort, workerData } from 'node:worker_threads';
import { NotEnoughTrainingDataError, trainModel, TrainingData } from './model-training';
import type { TrainingMessage } from './training-thread';

/** Worker-thread entry: trains on `workerData`, reporting progress, then the model (or the failure). */
const port = parentPort!;
const send = (message: TrainingMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
let reported = -1;
try {
  const model = trainModel(workerData as TrainingData, (progress) => {
    // Hundredths are plenty for a progress bar, and keep the message count bounded.
    const rounded = Math.floor(progress * 100) / 100;
    if (rounded > reported) send({ type: 'progress', progress: (reported = rounded) });
  });
  send({ type: 'done', model }, [model.neighbours.buffer, model.scores.buffer, model.counts.buffer] as ArrayBuffer[]);
} catch (error) {
  send({
    type: 'failed',
    notEnoughData: error instanceof NotEnoughTrainingDataError,
    message: error instanceof Error ? error.message : String(error),
  });
}
