import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';

/** Read without waiting before the rate applies, so a small upload is never held back. */
export const UPLOAD_BURST_BYTES = 1024 * 1024;

/**
 * Spreads the reading of upload bodies over time: all uploads of the process together are read at
 * most `AUDIO_UPLOAD_BYTES_PER_SECOND`. Read as fast as it arrives, a large upload keeps the request
 * thread copying chunks for as long as it lasts, and other requests wait behind it for a core.
 * While a chunk waits, the rest stays in the socket and TCP slows the sender, so pacing holds no more
 * in memory. Grants are first come, first served: a virtual clock of when the bytes granted so far
 * are paid for, ahead of the real one by at most the burst.
 */
@Injectable()
export class UploadPacer {
  private readonly msPerByte: number;
  private readonly burstMs: number;
  /** When the bytes granted so far have been paid for, on `performance.now()`'s clock. */
  private paidUntilMs = -Infinity;

  constructor(@InjectConfig() config: Pick<AppConfig, 'audioUploadBytesPerSecond'>) {
    this.msPerByte = 1000 / config.audioUploadBytesPerSecond;
    this.burstMs = UPLOAD_BURST_BYTES * this.msPerByte;
  }

  /** Resolves once `bytes` more may be read: at once within the rate and its burst, later beyond it. */
  async take(bytes: number): Promise<void> {
    const waitMs = this.reserve(bytes, performance.now());
    if (waitMs > 0) await sleep(waitMs);
  }

  /** Grants `bytes` at `nowMs`: how many milliseconds the reader waits before reading them (0: none). */
  reserve(bytes: number, nowMs: number): number {
    this.paidUntilMs = Math.max(this.paidUntilMs, nowMs) + bytes * this.msPerByte;
    return Math.max(0, this.paidUntilMs - this.burstMs - nowMs);
  }
}
