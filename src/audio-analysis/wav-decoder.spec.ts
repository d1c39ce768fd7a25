import { encodeWav, sine, WavDepth } from '../../test/support/wav-files';
import { AudioFormatError, decodeWav } from './wav-decoder';

const RATE = 8_000;
const DEPTHS: WavDepth[] = ['8', '16', '24', '32', '32f'];
/** 8-bit PCM keeps about 1/127 of full scale; the others far better. */
const TOLERANCE: Record<WavDepth, number> = { '8': 1 / 100, '16': 1e-4, '24': 1e-6, '32': 1e-6, '32f': 1e-6 };

const rejection = (bytes: Uint8Array): string | undefined => {
  try {
    decodeWav(bytes);
    return undefined;
  } catch (error) {
    return error instanceof AudioFormatError ? error.rejection : 'crash';
  }
};

describe(decodeWav.name, () => {
  const tone = sine(440, 0.1, RATE, 0.5);

  it.each(DEPTHS)('decodes %s-bit samples into [-1, 1]', (depth) => {
    const { samples, sampleRate } = decodeWav(encodeWav([tone], RATE, depth));
    expect(sampleRate).toBe(RATE);
    expect(samples).toHaveLength(tone.length);
    const worst = Math.max(...samples.map((value, i) => Math.abs(value - tone[i])));
    expect(worst).toBeLessThan(TOLERANCE[depth]);
  });

  it('mixes channels down to their mean', () => {
    const silent = new Float32Array(tone.length);
    const { samples } = decodeWav(encodeWav([tone, silent], RATE, '32f'));
    expect(samples[10]).toBeCloseTo(tone[10] / 2, 6);
  });

  it('tells files that are not WAV (unsupported) from broken WAV files (invalid)', () => {
    const wav = encodeWav([tone], RATE);
    expect(rejection(new Uint8Array(0))).toBe('invalid');
    expect(rejection(wav.subarray(0, 6))).toBe('invalid');
    expect(rejection(wav.subarray(0, 40))).toBe('invalid');
    expect(rejection(wav.subarray(0, wav.length - 3))).toBe('invalid');
    expect(rejection(Buffer.from('\x89PNG\r\n\x1a\n0000000000', 'latin1'))).toBe('unsupported');
    expect(rejection(Buffer.from('hello, world'))).toBe('unsupported');
    expect(rejection(Buffer.from('RIFF'))).toBe('invalid');
  });

  it('refuses sample rates outside 8–192 kHz as unsupported', () => {
    expect(rejection(encodeWav([sine(100, 0.1, 4_000)], 4_000))).toBe('unsupported');
  });
});
