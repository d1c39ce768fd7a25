import { clickTrack, silence, sine, whiteNoise } from '../../test/support/wav-files';
import { analyzeAudio, frameSizeFor } from './audio-features';

const RATE = 22_050;
const SECONDS = 6;

describe(analyzeAudio.name, () => {
  it('follows the definitions on a 440 Hz sine (RMS, dBFS, crossings per sample, centroid, no beat)', () => {
    const result = analyzeAudio({ samples: sine(440, SECONDS, RATE, 0.5), sampleRate: RATE });
    expect(result.duration_ms).toBe(SECONDS * 1000);
    expect(result.rms).toBeCloseTo(0.5 / Math.SQRT2, 4);
    expect(result.loudness_db).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 1);
    expect(result.zero_crossing_rate).toBeCloseTo(880 / RATE, 4);
    expect(Math.abs((result.spectral_centroid_hz ?? 0) - 440)).toBeLessThan(44);
    expect(result.bpm).toBeNull();
    expect(result.danceability).toBe(0);
  });

  it('finds the beat of a click track and scores it danceable', () => {
    const result = analyzeAudio({ samples: clickTrack(120, SECONDS, RATE), sampleRate: RATE });
    expect(Math.abs((result.bpm ?? 0) - 120)).toBeLessThanOrEqual(2);
    expect(result.danceability).toBeGreaterThan(0.5);
  });

  it('gives white noise a zero-crossing rate near 0.5 and no beat', () => {
    const result = analyzeAudio({ samples: whiteNoise(SECONDS, RATE), sampleRate: RATE });
    expect(result.zero_crossing_rate).toBeGreaterThan(0.45);
    expect(result.zero_crossing_rate).toBeLessThan(0.55);
    expect(result.bpm).toBeNull();
  });

  it('answers silence with rms 0, no loudness, no centroid and energy, danceability, valence 0', () => {
    expect(analyzeAudio({ samples: silence(SECONDS, RATE), sampleRate: RATE })).toEqual({
      duration_ms: SECONDS * 1000,
      rms: 0,
      loudness_db: null,
      zero_crossing_rate: 0,
      spectral_centroid_hz: null,
      bpm: null,
      energy: 0,
      danceability: 0,
      valence: 0,
    });
  });

  it('keeps louder and brighter recordings more energetic', () => {
    const quiet = analyzeAudio({ samples: sine(440, 2, RATE, 0.05), sampleRate: RATE });
    const loud = analyzeAudio({ samples: sine(440, 2, RATE, 0.9), sampleRate: RATE });
    const bright = analyzeAudio({ samples: whiteNoise(2, RATE), sampleRate: RATE });
    expect(loud.energy).toBeGreaterThan(quiet.energy);
    expect(bright.energy).toBeGreaterThan(loud.energy - 0.1);
  });

  it('uses frames of about 1/43 s, a power of two samples long', () => {
    expect([22_050, 44_100, 48_000, 8_000, 192_000].map(frameSizeFor)).toEqual([512, 1024, 1024, 256, 4096]);
  });
});
