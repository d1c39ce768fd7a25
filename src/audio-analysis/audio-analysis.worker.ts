import { analyzeAudio, AudioAnalysis } from './audio-features';
import { runAtIdlePriority } from './thread-priority';
import { AudioFormatError, AudioRejection, decodeWav } from './wav-decoder';

// Once per worker thread, when piscina loads this module: analyses use only CPU time requests do not need.
runAtIdlePriority();

/** One recording handed to a worker: the upload's bytes, shared with the request thread (not copied). */
export interface AnalysisTask {
  buffer: SharedArrayBuffer;
  length: number;
}

export type AnalysisOutcome = { ok: true; analysis: AudioAnalysis } | { ok: false; rejection: AudioRejection };

/** Piscina runs this in a worker thread: decode, then measure. A refused file is an answer, not a crash. */
export default function analyzeRecording(task: AnalysisTask): AnalysisOutcome {
  try {
    return { ok: true, analysis: analyzeAudio(decodeWav(new Uint8Array(task.buffer, 0, task.length))) };
  } catch (error) {
    if (error instanceof AudioFormatError) return { ok: false, rejection: error.rejection };
    throw error;
  }
}
