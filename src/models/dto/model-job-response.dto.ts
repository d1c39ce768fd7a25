import { ApiProperty } from '@nestjs/swagger';
import { MODEL_JOB_STATUSES, ModelJob, ModelJobStatus } from '../model-job.entity';

export class ModelMetricsDto {
  /** Share of held-out playlist tracks (each playlist's last) in the model's top 10 for the rest of the playlist. */
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.28 })
  hit_rate_at_10: number;
  /** The same, ranking by audio features alone, on the same split. */
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.02 })
  feature_only_hit_rate_at_10: number;
  /** Playlists (of at least 2 tracks) trained on and evaluated. */
  playlists: number;
  /** Tracks the model covers. */
  tracks: number;
}

export class ModelJobResponseDto {
  /** Job id; once succeeded, the `model_id` for `/recommendations`. */
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** The name given at training, `null` when none. */
  @ApiProperty({ type: String, nullable: true })
  name: string | null;
  /** `queued` → `running` → `succeeded` or `failed`. */
  @ApiProperty({ enum: MODEL_JOB_STATUSES })
  status: ModelJobStatus;
  /** 0–1. */
  @ApiProperty({ minimum: 0, maximum: 1 })
  progress: number;
  /** Evaluation results once succeeded, else `null`. */
  @ApiProperty({ type: ModelMetricsDto, nullable: true })
  metrics: ModelMetricsDto | null;
  /** Why it failed, else `null`. */
  @ApiProperty({ type: String, nullable: true })
  error: string | null;
  /** When it was queued (ISO 8601 UTC). */
  @ApiProperty({ format: 'date-time' })
  created_at: string;
  /** When its current run started, `null` while queued. */
  @ApiProperty({ format: 'date-time', type: String, nullable: true })
  started_at: string | null;
  /** When it succeeded or failed, else `null`. */
  @ApiProperty({ format: 'date-time', type: String, nullable: true })
  finished_at: string | null;

  static from(job: ModelJob): ModelJobResponseDto {
    return {
      id: job.id,
      name: job.name,
      status: job.status,
      progress: job.progress,
      metrics: job.metrics,
      error: job.error,
      created_at: job.createdAt.toISOString(),
      started_at: job.startedAt?.toISOString() ?? null,
      finished_at: job.finishedAt?.toISOString() ?? null,
    };
  }
}

export class ModelJobListResponseDto {
  /** The page of jobs, newest first. */
  data: ModelJobResponseDto[];
  /** Your jobs in all. */
  total: number;
  /** Page size used. */
  limit: number;
  /** Jobs skipped. */
  offset: number;
}
