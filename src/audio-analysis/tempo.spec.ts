import { estimateTempo } from './tempo';

const FPS = 100;

/** An onset envelope with a short triangular bump every `60 / bpm` seconds (as smoothed onsets look). */
const pulses = (bpm: number, seconds: number): Float32Array => {
  const envelope = new Float32Array(seconds * FPS);
  for (let beat = 0; (beat * 60 * FPS) / bpm < envelope.length; beat++) {
    const at = Math.round((beat * 60 * FPS) / bpm);
    [1, 2, 3, 2, 1].forEach((height, i) => {
      if (at + i - 2 >= 0 && at + i - 2 < envelope.length) envelope[at + i - 2] += height;
    });
  }
  return envelope;
};

describe(estimateTempo.name, () => {
  it.each([60, 75, 90, 120, 150, 180])('finds %i bpm in a pulse train', (bpm) => {
    const { bpm: found, strength } = estimateTempo(pulses(bpm, 20), FPS);
    expect(Math.abs((found ?? 0) - bpm)).toBeLessThanOrEqual(2);
    expect(strength).toBeGreaterThan(0.2);
  });

  it('finds no beat in a flat envelope, in too short a one, or in random onsets', () => {
    expect(estimateTempo(new Float32Array(20 * FPS), FPS)).toEqual({ bpm: null, strength: 0 });
    expect(estimateTempo(pulses(120, 1), FPS).bpm).toBeNull();
    let state = 7;
    const random = Float32Array.from({ length: 20 * FPS }, () => (state = (state * 48271) % 2147483647) / 2147483647);
    expect(estimateTempo(random, FPS).bpm).toBeNull();
  });
});
