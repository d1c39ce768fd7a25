import { WaveFile } from 'wavefile';

/** Sample formats a generated WAV can be written in (wavefile's bit-depth codes). */
export type WavDepth = '8' | '16' | '24' | '32' | '32f';

/** A seeded generator (mulberry32), so generated noise is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A click track: a 10 ms decaying 2 kHz burst on every beat. */
export function clickTrack(bpm: number, seconds: number, rate: number): Float32Array {
  const samples = new Float32Array(Math.round(seconds * rate));
  const clickLength = Math.round(0.01 * rate);
  for (let beat = 0; ; beat++) {
    const start = Math.round((beat * 60 * rate) / bpm);
    if (start >= samples.length) break;
    for (let i = 0; i < clickLength && start + i < samples.length; i++) {
      samples[start + i] = 0.8 * Math.exp(-i / (0.002 * rate)) * Math.sin((2 * Math.PI * 2000 * i) / rate);
    }
  }
  return samples;
}

export function sine(frequency: number, seconds: number, rate: number, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * rate) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate),
  );
}

export function whiteNoise(seconds: number, rate: number, seed = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: Math.round(seconds * rate) }, () => random() - 0.5);
}

export const silence = (seconds: number, rate: number): Float32Array => new Float32Array(Math.round(seconds * rate));

/** Full-scale integer of each depth; 8-bit WAV is unsigned around 128. */
const toInteger = (depth: WavDepth, value: number): number => {
  if (depth === '8') return Math.round(value * 127 + 128);
  const bits = Number(depth);
  return Math.round(value * (2 ** (bits - 1) - 1));
};

/** A WAV file of the given channels (each in [-1, 1]), written with wavefile. */
export function encodeWav(channels: Float32Array[], rate: number, depth: WavDepth = '16'): Buffer {
  const wav = new WaveFile();
  const data = depth === '32f' ? channels : channels.map((channel) => Array.from(channel, (v) => toInteger(depth, v)));
  wav.fromScratch(channels.length, rate, depth, data);
  return Buffer.from(wav.toBuffer());
}
