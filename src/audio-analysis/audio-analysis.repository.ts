import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Track } from '../tracks/track.entity';
import type { AudioAnalysis } from './audio-features';

/** The tracks columns an analysis reads and writes, always scoped to the key's owner. */
@Injectable()
export class AudioAnalysisRepository {
  constructor(@InjectRepository(Track) private readonly tracks: Repository<Track>) {}

  async trackExists(userId: string, trackId: string): Promise<boolean> {
    return this.tracks.existsBy({ id: trackId, userId });
  }

  /**
   * Replaces the track's features with the analysis (the ones it does not measure become unknown)
   * and returns the track, or `null` if it is gone (deleted while its recording was analysed).
   */
  async saveAnalysis(
    userId: string,
    trackId: string,
    analysis: AudioAnalysis,
    analyzedAt: Date,
  ): Promise<Track | null> {
    const result = await this.tracks.update(
      { id: trackId, userId },
      {
        bpm: analysis.bpm,
        energy: analysis.energy,
        danceability: analysis.danceability,
        valence: analysis.valence,
        acousticness: null,
        instrumentalness: null,
        speechiness: null,
        liveness: null,
        loudnessDb: analysis.loudness_db,
        rms: analysis.rms,
        spectralCentroidHz: analysis.spectral_centroid_hz,
        zeroCrossingRate: analysis.zero_crossing_rate,
        analyzedDurationMs: analysis.duration_ms,
        featuresSource: 'analysis',
        analyzedAt,
      },
    );
    if (result.affected === 0) return null;
    return this.tracks.findOneBy({ id: trackId, userId });
  }
}
