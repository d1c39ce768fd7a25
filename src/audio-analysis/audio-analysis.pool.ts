import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { extname, join } from 'node:path';
import Piscina from 'piscina';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import type { AnalysisOutcome, AnalysisTask } from './audio-analysis.worker';

/** Uploads allowed to wait per worker; beyond it the service answers 503 rather than hold more files in memory. */
const QUEUE_PER_WORKER = 4;
const RETRY_AFTER_SECONDS = '5';

/**
 * The worker-thread pool recordings are analysed in, so a long file never blocks the event loop.
 * Each worker lowers its own CPU priority as it starts (`runAtIdlePriority`).
 */
@Injectable()
export class AudioAnalysisPool implements OnModuleDestroy {
  private readonly pool: Piscina<AnalysisTask, AnalysisOutcome>;
  private readonly maxQueue: number;

  constructor(@InjectConfig() config: AppConfig) {
    const extension = extname(__filename);
    this.maxQueue = config.audioWorkers * QUEUE_PER_WORKER;
    this.pool = new Piscina({
      filename: join(__dirname, `audio-analysis.worker${extension}`),
      minThreads: config.audioWorkers,
      maxThreads: config.audioWorkers,
      concurrentTasksPerWorker: 1,
      maxQueue: this.maxQueue,
      // Run from TypeScript sources (tests, ts-node) the worker needs the same transpiler.
      execArgv: extension === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : [],
    });
  }

  run(task: AnalysisTask): Promise<AnalysisOutcome> {
    if (this.pool.queueSize >= this.maxQueue) {
      throw new DomainException(ErrorCode.ServiceUnavailable, { headers: { 'Retry-After': RETRY_AFTER_SECONDS } });
    }
    return this.pool.run(task);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.destroy();
  }
}
