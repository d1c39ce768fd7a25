import { ApiProperty } from '@nestjs/swagger';
import type { Track } from '../track.entity';
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
  /** dB; `null` when unknown. */
  loudness_db: number | null;

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
    };
  }
}
