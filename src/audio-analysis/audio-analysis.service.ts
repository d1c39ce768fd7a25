import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { DomainException, notFound } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import type { Track } from '../tracks/track.entity';
import { AudioAnalysisPool } from './audio-analysis.pool';
import { AudioAnalysisRepository } from './audio-analysis.repository';
import { readUpload, uploadKind } from './audio-upload';
import { UploadPacer } from './upload-pacer';

/** Analyses an uploaded recording of one of the account's tracks and stores what it measured. */
@Injectable()
export class AudioAnalysisService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly pool: AudioAnalysisPool,
    private readonly repository: AudioAnalysisRepository,
    private readonly pacer: UploadPacer,
  ) {}

  async analyze(userId: string, trackId: string, request: FastifyRequest): Promise<Track> {
    const kind = uploadKind(request);
    // Before reading the body: an unknown track costs neither the upload nor a worker.
    if (!(await this.repository.trackExists(userId, trackId))) throw notFound();
    const upload = await readUpload(request, kind, { maxBytes: this.config.audioMaxBytes, pacer: this.pacer });
    const outcome = await this.pool.run(upload);
    if (!outcome.ok) {
      throw outcome.rejection === 'unsupported'
        ? new DomainException(ErrorCode.UnsupportedMediaType)
        : new DomainException(ErrorCode.InvalidAudioFile);
    }
    const track = await this.repository.saveAnalysis(userId, trackId, outcome.analysis, new Date());
    if (!track) throw notFound();
    return track;
  }
}
