import { WaveFile } from 'wavefile';

/** Why a recording was refused: not a format we decode (415), or a broken file of one we do (400). */
export type AudioRejection = 'unsupported' | 'invalid';

export class AudioFormatError extends Error {
  constructor(
    readonly rejection: AudioRejection,
    message: string,
  ) {
    super(message);
    this.name = AudioFormatError.name;
  }
}

/** A recording mixed down to one channel, samples in [-1, 1]. */
export interface MonoAudio {
  samples: Float32Array;
  sampleRate: number;
}

const CONTAINERS = ['RIFF', 'RIFX', 'RF64'];
const WAVE = 'WAVE';
const MAGIC_LENGTH = 12;
export const MIN_SAMPLE_RATE = 8_000;
export const MAX_SAMPLE_RATE = 192_000;

/** Full scale of each integer depth wavefile reports (8-bit WAV is unsigned, centred on 128). */
const INTEGER_SCALE: Record<string, { offset: number; scale: number }> = {
  '8': { offset: 128, scale: 128 },
  '16': { offset: 0, scale: 2 ** 15 },
  '24': { offset: 0, scale: 2 ** 23 },
  '32': { offset: 0, scale: 2 ** 31 },
};
const FLOAT_DEPTHS = new Set(['32f', '64']);

const ascii = (bytes: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));

/**
 * Whether the bytes start like a WAV file. A prefix of a WAV header (cut short) is a broken WAV,
 * not another format, so it is told apart from bytes that are something else entirely.
 */
function checkMagic(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new AudioFormatError('invalid', 'empty file');
  const container = ascii(bytes, 0, 4);
  const form = ascii(bytes, 8, MAGIC_LENGTH);
  const looksLikeWav =
    CONTAINERS.some((magic) => magic.startsWith(container)) && (bytes.length <= 8 || WAVE.startsWith(form));
  if (!looksLikeWav) throw new AudioFormatError('unsupported', 'not a WAV file');
  if (bytes.length < MAGIC_LENGTH) throw new AudioFormatError('invalid', 'truncated header');
}

/**
 * Decodes a WAV file (8/16/24/32-bit integer PCM or 32/64-bit float, any channel count, 8–192 kHz)
 * with wavefile and mixes it down to mono. wavefile silently returns fewer samples than the data
 * chunk declares when the file is cut short, so the declared size is compared here.
 */
export function decodeWav(bytes: Uint8Array): MonoAudio {
  checkMagic(bytes);
  let wav: WaveFile;
  try {
    wav = new WaveFile(bytes);
  } catch (error) {
    throw new AudioFormatError('invalid', (error as Error).message);
  }
  const fmt = wav.fmt as { numChannels: number; sampleRate: number };
  const data = wav.data as { chunkSize: number; samples: Uint8Array };
  const depth = wav.bitDepth;
  const integer = INTEGER_SCALE[depth];
  if (!integer && !FLOAT_DEPTHS.has(depth)) throw new AudioFormatError('unsupported', `sample format ${depth}`);
  if (fmt.sampleRate < MIN_SAMPLE_RATE || fmt.sampleRate > MAX_SAMPLE_RATE) {
    throw new AudioFormatError('unsupported', `sample rate ${fmt.sampleRate}`);
  }
  if (fmt.numChannels < 1) throw new AudioFormatError('invalid', 'no channels');
  if (data.samples.length < data.chunkSize) throw new AudioFormatError('invalid', 'data chunk cut short');
  if (data.samples.length === 0) throw new AudioFormatError('invalid', 'no samples');

  let interleaved: Float32Array;
  try {
    // Float32 is precise enough for analysis and halves the decoded copy of a long file.
    interleaved = wav.getSamples(true, Float32Array) as unknown as Float32Array;
  } catch (error) {
    throw new AudioFormatError('invalid', (error as Error).message);
  }
  const channels = fmt.numChannels;
  const frames = Math.floor(interleaved.length / channels);
  if (frames === 0) throw new AudioFormatError('invalid', 'no complete frame');
  const { offset, scale } = integer ?? { offset: 0, scale: 1 };
  const samples = new Float32Array(frames);
  for (let frame = 0, i = 0; frame < frames; frame++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, i++) sum += (interleaved[i] - offset) / scale;
    samples[frame] = Math.max(-1, Math.min(1, sum / channels));
  }
  return { samples, sampleRate: fmt.sampleRate };
}
