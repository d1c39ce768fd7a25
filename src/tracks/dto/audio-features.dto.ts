import { ApiProperty } from '@nestjs/swagger';
import type { FeaturesSource, Track } from '../track.entity';
import { OptionalFeature } from './feature-validators';

/** Every feature of a track; a field left out (or `null`) is unknown. PUT replaces them all. */
export class AudioFeaturesDto {
  /** Tempo in beats per minute (1–300). */
  @OptionalFeature(1, 300, 124)
  bpm?: number | null;

  /** Intensity, 0–1. */
  @OptionalFeature(0, 1, 0.8)
  energy?: number | null;

  /** Suitability for dancing, 0–1. */
  @OptionalFeature(0, 1, 0.7)
  danceability?: number | null;

  /** Musical positiveness, 0–1. */
  @OptionalFeature(0, 1, 0.6)
  valence?: number | null;

  /** Confidence the track is acoustic, 0–1. */
  @OptionalFeature(0, 1)
  acousticness?: number | null;

  /** Likelihood of no vocals, 0–1. */
  @OptionalFeature(0, 1)
  instrumentalness?: number | null;

  /** Presence of spoken words, 0–1. */
  @OptionalFeature(0, 1)
  speechiness?: number | null;

  /** Presence of an audience, 0–1. */
  @OptionalFeature(0, 1)
  liveness?: number | null;

  /** Overall loudness in dB (−60 to 0). */
  @OptionalFeature(-60, 0, -7.5)
  loudness_db?: number | null;
}

export class AudioFeaturesResponseDto {
  /** The track these features describe. */
  @ApiProperty({ format: 'uuid' })
  track_id: string;

  /** Tempo in BPM; `null` when unknown. */
  bpm: number | null;
  /** 0–1; `null` when unknown. */
  energy: number | null;
  /** 0–1; `null` when unknown. */
  danceability: number | null;
  /** 0–1; `null` when unknown. */
  valence: number | null;
  /** 0–1; `null` when unknown. */
  acousticness: number | null;
  /** 0–1; `null` when unknown. */
  instrumentalness: number | null;
  /** 0–1; `null` when unknown. */
  speechiness: number | null;
  /** 0–1; `null` when unknown. */
  liveness: number | null;
  /** Loudness in dBFS (20·log10 of the RMS); `null` when unknown or for digital silence. */
  loudness_db: number | null;
  /** Length of the analysed recording in ms; `null` until a recording is analysed. */
  duration_ms: number | null;
  /** Root mean square of the analysed recording's mono mix, 0–1; `null` when unknown. */
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  rms: number | null;
  /** Magnitude-weighted mean frequency over non-silent frames (Hz); `null` when unknown or silent. */
  @ApiProperty({ type: Number, nullable: true, minimum: 0 })
  spectral_centroid_hz: number | null;
  /** Sign changes per sample, 0–1; `null` when unknown. */
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  zero_crossing_rate: number | null;
  /** Where the features come from: an analysed recording or values set by hand. */
  @ApiProperty({ enum: ['analysis', 'manual'] })
  source: FeaturesSource;
  /** When the recording was analysed (ISO 8601 UTC); `null` when the features were set by hand. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  analyzed_at: string | null;

  static from(track: Track): AudioFeaturesResponseDto {
    return {
      track_id: track.id,
      bpm: track.bpm,
      energy: track.energy,
      danceability: track.danceability,
      valence: track.valence,
      acousticness: track.acousticness,
      instrumentalness: track.instrumentalness,
      speechiness: track.speechiness,
      liveness: track.liveness,
      loudness_db: track.loudnessDb,
      duration_ms: track.analyzedDurationMs,
      rms: track.rms,
      spectral_centroid_hz: track.spectralCentroidHz,
      zero_crossing_rate: track.zeroCrossingRate,
      source: track.featuresSource,
      analyzed_at: track.analyzedAt?.toISOString() ?? null,
    };
  }
}
