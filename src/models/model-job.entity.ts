import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TrainingMetrics } from './training/model-training';

export const MODEL_JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ModelJobStatus = (typeof MODEL_JOB_STATUSES)[number];

/** A training job; once `succeeded`, it is the model (its neighbours are in `model_neighbours`). */
@Entity('model_jobs')
export class ModelJob {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text', { nullable: true })
  name: string | null;

  @Column('text')
  status: ModelJobStatus;

  @Column('double precision')
  progress: number;

  @Column('jsonb', { nullable: true })
  metrics: TrainingMetrics | null;

  @Column('text', { nullable: true })
  error: string | null;

  /** Times a runner has claimed it (a job cut off too often fails instead of looping). */
  @Column('integer')
  attempts: number;

  /** The instance running it, while `running`. */
  @Column('text', { name: 'runner_id', nullable: true })
  runnerId: string | null;

  /** Last sign of life from that instance; a running job whose heartbeat stops is taken back. */
  @Column('timestamptz', { name: 'heartbeat_at', nullable: true })
  heartbeatAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
