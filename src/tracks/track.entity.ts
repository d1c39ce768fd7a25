import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** The audio features of a track; `null` where unknown. */
export const AUDIO_FEATURES = [
  'bpm',
  'energy',
  'danceability',
  'valence',
  'acousticness',
  'instrumentalness',
  'speechiness',
  'liveness',
  'loudnessDb',
] as const;
export type AudioFeature = (typeof AUDIO_FEATURES)[number];

export type FeaturesSource = 'analysis' | 'manual';

/** Measures only an analysed recording gives; a hand-set `PUT` clears them. */
export const ANALYSIS_MEASURES = [
  'analyzedAt',
  'analyzedDurationMs',
  'rms',
  'spectralCentroidHz',
  'zeroCrossingRate',
] as const;

/** A track of one account's catalogue (a key only ever sees its owner's). */
@Entity('tracks')
export class Track {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  title: string;

  @Column('text')
  artist: string;

  @Column('text', { nullable: true })
  album: string | null;

  @Column('integer', { name: 'duration_ms' })
  durationMs: number;

  @Column('text', { nullable: true })
  genre: string | null;

  @Column('double precision', { nullable: true })
  bpm: number | null;

  @Column('double precision', { nullable: true })
  energy: number | null;

  @Column('double precision', { nullable: true })
  danceability: number | null;

  @Column('double precision', { nullable: true })
  valence: number | null;

  @Column('double precision', { nullable: true })
  acousticness: number | null;

  @Column('double precision', { nullable: true })
  instrumentalness: number | null;

  @Column('double precision', { nullable: true })
  speechiness: number | null;

  @Column('double precision', { nullable: true })
  liveness: number | null;

  @Column('double precision', { name: 'loudness_db', nullable: true })
  loudnessDb: number | null;

  /** Who set the features last: an analysed recording or a hand-set `PUT`/`POST`/`PATCH`. */
  @Column('text', { name: 'features_source', default: 'manual' })
  featuresSource: FeaturesSource;

  /** When a recording was last analysed (`null`: never, or set by hand since). */
  @Column('timestamptz', { name: 'analyzed_at', nullable: true })
  analyzedAt: Date | null;

  /** Length of the analysed recording (the track's own `durationMs` is catalogue data). */
  @Column('integer', { name: 'analyzed_duration_ms', nullable: true })
  analyzedDurationMs: number | null;

  @Column('double precision', { nullable: true })
  rms: number | null;

  @Column('double precision', { name: 'spectral_centroid_hz', nullable: true })
  spectralCentroidHz: number | null;

  @Column('double precision', { name: 'zero_crossing_rate', nullable: true })
  zeroCrossingRate: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
