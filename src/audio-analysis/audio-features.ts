import Meyda from 'meyda';
import { estimateTempo, MAX_BPM, MIN_BPM } from './tempo';
import type { MonoAudio } from './wav-decoder';

/** What the analysis measures on one recording (the contract's definitions, on the mono mix). */
export interface AudioAnalysis {
  duration_ms: number;
  rms: number;
  loudness_db: number | null;
  zero_crossing_rate: number;
  spectral_centroid_hz: number | null;
  bpm: number | null;
  energy: number;
  danceability: number;
  valence: number;
}

/** Frames quieter than this (RMS, −60 dBFS) are silent: they carry no spectral centroid. */
export const SILENT_FRAME_RMS = 10 ** (-60 / 20);
/** Loudness at and below which energy is 0 (dBFS). */
const QUIETEST_DB = -60;
/** Centroid taken as fully bright for energy and valence (Hz). */
const BRIGHTEST_HZ = 5000;
/** Tempi that dance best; danceability falls off linearly to half outside them, at 60 and 200 bpm. */
const DANCE_BPM = { low: 90, high: 130 };
/** Analysis frames last about 1/43 s (a power of two samples, as meyda needs) and overlap by half. */
const FRAMES_PER_SECOND_TARGET = 43;
const HOPS_PER_FRAME = 2;
/** Onset bands: log-spaced from {@link LOWEST_BAND_HZ} to the Nyquist frequency. */
const ONSET_BANDS = 8;
const LOWEST_BAND_HZ = 50;
/**
 * Band levels are floored here (dB re full scale) and this far below the frame's loudest band, so
 * near-silent bands (where a steady tone's leakage flickers with its phase) do not count as onsets.
 */
const BAND_FLOOR_DB = -80;
const BAND_RANGE_DB = 40;
/**
 * Smallest band-level rise from one hop to the next that counts as an onset (dB): a steady tone's
 * frame-to-frame ripple stays far below it, so it shows no beat.
 */
const ONSET_MIN_RISE_DB = 1;
/** Onset envelope smoothing (a triangle over ±2 hops), so a period between two hops still peaks once. */
const SMOOTHING = [1, 2, 3, 2, 1].map((w) => w / 9);

type Extracted = { amplitudeSpectrum: Float32Array; spectralCentroid: number };

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));
const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

export function frameSizeFor(sampleRate: number): number {
  return 2 ** Math.round(Math.log2(sampleRate / FRAMES_PER_SECOND_TARGET));
}

/** RMS and zero-crossing rate over the whole signal, with meyda's extractors (they need no FFT). */
function wholeSignalMeasures(samples: Float32Array): { rms: number; zeroCrossingRate: number } {
  const extractors = Meyda.featureExtractors as Record<string, (args: { signal: Float32Array }) => number>;
  const rms = extractors.rms({ signal: samples });
  const crossings = extractors.zcr({ signal: samples });
  return { rms, zeroCrossingRate: samples.length > 1 ? crossings / (samples.length - 1) : 0 };
}

/** First spectrum bin of each onset band, and one past the last bin. */
function bandEdges(frameSize: number, sampleRate: number): number[] {
  const bins = frameSize / 2;
  const binOf = (hz: number) => Math.max(1, Math.min(bins, Math.round((hz * frameSize) / sampleRate)));
  const nyquist = sampleRate / 2;
  return Array.from({ length: ONSET_BANDS + 1 }, (_, b) =>
    binOf(LOWEST_BAND_HZ * (nyquist / LOWEST_BAND_HZ) ** (b / ONSET_BANDS)),
  );
}

function smooth(values: Float32Array): Float32Array {
  const half = (SMOOTHING.length - 1) / 2;
  return values.map((_, t) => {
    let sum = 0;
    for (let k = 0; k < SMOOTHING.length; k++) sum += SMOOTHING[k] * (values[t + k - half] ?? 0);
    return sum;
  });
}

/**
 * Spectral centroid averaged over non-silent frames, and the onset-strength envelope the tempo
 * comes from: per hop, the summed rise in level (dB) of log-spaced frequency bands.
 */
function spectralMeasures(audio: MonoAudio): {
  centroidHz: number | null;
  onsets: Float32Array;
  hopsPerSecond: number;
} {
  const frameSize = frameSizeFor(audio.sampleRate);
  const hop = frameSize / HOPS_PER_FRAME;
  const frames = audio.samples.length < frameSize ? 0 : Math.floor((audio.samples.length - frameSize) / hop) + 1;
  Meyda.bufferSize = frameSize;
  Meyda.sampleRate = audio.sampleRate;
  Meyda.windowingFunction = 'hanning';
  const rmsOf = (Meyda.featureExtractors as Record<string, (args: { signal: Float32Array }) => number>).rms;
  const edges = bandEdges(frameSize, audio.sampleRate);
  // Full scale: a full-scale sine's Hann-windowed peak magnitude is frameSize / 4.
  const fullScalePower = (frameSize / 4) ** 2;

  const onsets = new Float32Array(Math.max(0, frames - 1));
  let previous: Float64Array | null = null;
  let centroidSum = 0;
  let voicedFrames = 0;
  for (let f = 0; f < frames; f++) {
    const frame = audio.samples.subarray(f * hop, f * hop + frameSize);
    const { amplitudeSpectrum, spectralCentroid } = Meyda.extract(
      ['amplitudeSpectrum', 'spectralCentroid'],
      frame,
    ) as unknown as Extracted;
    if (rmsOf({ signal: frame }) > SILENT_FRAME_RMS && Number.isFinite(spectralCentroid)) {
      centroidSum += (spectralCentroid * audio.sampleRate) / frameSize;
      voicedFrames++;
    }
    const levels = new Float64Array(ONSET_BANDS);
    for (let b = 0; b < ONSET_BANDS; b++) {
      let power = 0;
      for (let k = edges[b]; k < edges[b + 1]; k++) power += amplitudeSpectrum[k] ** 2;
      levels[b] = 10 * Math.log10(power / fullScalePower + Number.MIN_VALUE);
    }
    const floor = Math.max(BAND_FLOOR_DB, Math.max(...levels) - BAND_RANGE_DB);
    for (let b = 0; b < ONSET_BANDS; b++) levels[b] = Math.max(floor, levels[b]);
    if (previous) {
      let rise = 0;
      for (let b = 0; b < ONSET_BANDS; b++) {
        const step = levels[b] - previous[b];
        if (step > ONSET_MIN_RISE_DB) rise += step;
      }
      onsets[f - 1] = rise;
    }
    previous = levels;
  }
  return {
    centroidHz: voicedFrames > 0 ? centroidSum / voicedFrames : null,
    onsets: smooth(onsets),
    hopsPerSecond: audio.sampleRate / hop,
  };
}

/** How well a tempo suits dancing: 1 inside {@link DANCE_BPM}, linearly down to 0.5 at 60 and 200 bpm. */
function tempoFit(bpm: number): number {
  if (bpm < DANCE_BPM.low) return 1 - (0.5 * (DANCE_BPM.low - bpm)) / (DANCE_BPM.low - MIN_BPM);
  if (bpm > DANCE_BPM.high) return 1 - (0.5 * (bpm - DANCE_BPM.high)) / (MAX_BPM - DANCE_BPM.high);
  return 1;
}

/** Every measure of a decoded recording; energy, danceability and valence as docs/audio-analysis.md derives them. */
export function analyzeAudio(audio: MonoAudio): AudioAnalysis {
  const { rms, zeroCrossingRate } = wholeSignalMeasures(audio.samples);
  const loudnessDb = rms > 0 ? 20 * Math.log10(rms) : null;
  const { centroidHz, onsets, hopsPerSecond } = spectralMeasures(audio);
  const tempo = estimateTempo(onsets, hopsPerSecond);

  const loudness = loudnessDb === null ? 0 : clamp01((loudnessDb - QUIETEST_DB) / -QUIETEST_DB);
  const brightness = centroidHz === null ? 0 : clamp01(centroidHz / BRIGHTEST_HZ);
  const pace = tempo.bpm === null ? 0 : (tempo.bpm - MIN_BPM) / (MAX_BPM - MIN_BPM);
  return {
    duration_ms: Math.round((audio.samples.length / audio.sampleRate) * 1000),
    rms,
    loudness_db: loudnessDb === null ? null : round(loudnessDb, 2),
    zero_crossing_rate: round(zeroCrossingRate, 6),
    spectral_centroid_hz: centroidHz === null ? null : round(centroidHz, 1),
    bpm: tempo.bpm === null ? null : round(tempo.bpm, 1),
    energy: round(clamp01(0.8 * loudness + 0.2 * brightness), 3),
    danceability: round(tempo.bpm === null ? 0 : clamp01(tempo.strength * tempoFit(tempo.bpm)), 3),
    valence: round(loudness === 0 ? 0 : clamp01(0.6 * brightness + 0.4 * pace), 3),
  };
}
