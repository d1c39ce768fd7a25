/** Tempo range the estimate is searched in (beats per minute). */
export const MIN_BPM = 60;
export const MAX_BPM = 200;
/** Below this normalised autocorrelation the onsets are not periodic enough to call a beat. */
export const BEAT_THRESHOLD = 0.2;
/**
 * On a short recording random onsets can correlate by chance: the peak must also stand this many
 * standard errors above zero (the error of a correlation over n independent values is 1/√n, and
 * neighbouring hops of a smoothed envelope are not independent: about this many make one).
 */
const SIGNIFICANCE = 4;
const CORRELATED_HOPS = 4;
/** Centre and width (octaves) of the tempo preference that settles half/double-tempo ambiguity. */
const PRIOR_CENTRE_BPM = 120;
const PRIOR_WIDTH_OCTAVES = 1;
/** Where half the chosen period correlates nearly as well, onsets fall on every half beat too: the faster tempo is taken. */
const DOUBLE_TEMPO_RATIO = 0.8;

export interface TempoEstimate {
  /** Dominant tempo, or `null` when no beat was found. */
  bpm: number | null;
  /** Normalised autocorrelation at the chosen period, 0–1 (0 when no beat). */
  strength: number;
}

const NO_BEAT: TempoEstimate = { bpm: null, strength: 0 };

/**
 * Tempo from an onset-strength envelope (one value per analysis hop, `framesPerSecond` of them a
 * second): the lag between 60 and 200 bpm where the mean-removed envelope's autocorrelation,
 * weighted by a log-normal preference around 120 bpm, is highest (halved when the half period
 * correlates almost as well: a pulse train correlates at every multiple of its period); refined to a fraction of a hop
 * by fitting a parabola through that lag and its neighbours.
 */
export function estimateTempo(onsets: Float32Array, framesPerSecond: number): TempoEstimate {
  const minLag = Math.max(1, Math.floor((framesPerSecond * 60) / MAX_BPM));
  const maxLag = Math.ceil((framesPerSecond * 60) / MIN_BPM);
  if (onsets.length < 2 * maxLag) return NO_BEAT;

  let mean = 0;
  for (const value of onsets) mean += value;
  mean /= onsets.length;
  const centred = onsets.map((value) => value - mean);

  const autocorrelation = (lag: number): number => {
    let sum = 0;
    for (let t = 0; t + lag < centred.length; t++) sum += centred[t] * centred[t + lag];
    return sum / (centred.length - lag);
  };
  const zeroLag = autocorrelation(0);
  if (!(zeroLag > 0)) return NO_BEAT;

  const correlations = new Float64Array(maxLag + 2);
  let bestLag = -1;
  let bestScore = -Infinity;
  for (let lag = minLag - 1; lag <= maxLag + 1; lag++) {
    correlations[lag] = autocorrelation(lag);
    if (lag < minLag || lag > maxLag) continue;
    const octaves = Math.log2((framesPerSecond * 60) / lag / PRIOR_CENTRE_BPM) / PRIOR_WIDTH_OCTAVES;
    const score = correlations[lag] * Math.exp(-0.5 * octaves * octaves);
    if (score > bestScore) {
      bestScore = score;
      bestLag = lag;
    }
  }
  const halfLag = Math.round(bestLag / 2);
  if (halfLag - 1 >= minLag) {
    const half = Math.max(correlations[halfLag - 1], correlations[halfLag], correlations[halfLag + 1]);
    if (half >= DOUBLE_TEMPO_RATIO * correlations[bestLag]) {
      bestLag = [halfLag - 1, halfLag, halfLag + 1].find((lag) => correlations[lag] === half) ?? halfLag;
    }
  }
  const strength = correlations[bestLag] / zeroLag;
  const chance = SIGNIFICANCE / Math.sqrt((onsets.length - bestLag) / CORRELATED_HOPS);
  if (strength < Math.max(BEAT_THRESHOLD, chance)) return NO_BEAT;

  const [before, at, after] = [correlations[bestLag - 1], correlations[bestLag], correlations[bestLag + 1]];
  const curvature = before - 2 * at + after;
  const shift = curvature < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (before - after)) / curvature)) : 0;
  const bpm = (framesPerSecond * 60) / (bestLag + shift);
  return { bpm: Math.min(MAX_BPM, Math.max(MIN_BPM, bpm)), strength: Math.min(1, strength) };
}
