import type { LoggerService } from '@nestjs/common';
import { RingQueue } from './ring-queue';
import type { UsageRecord } from './usage-record';

export interface UsageBufferOptions {
  /** Bound on the rows held in memory; past it the oldest are dropped (and counted). */
  maxRows: number;
  /** Rows per INSERT; reaching it also triggers a write without waiting for the timer. */
  batchSize: number;
  flushIntervalMs: number;
  /** Writes one batch; a rejection keeps the batch for a retry. */
  write: (rows: UsageRecord[]) => Promise<void>;
  logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  /** Batches written at once when more than one is waiting (PostgreSQL connections it may use). */
  writers?: number;
  /** Longest wait between retries while the database is unreachable. */
  maxBackoffMs?: number;
  /** At most one "dropped" or "write failed" line per this many ms. */
  reportIntervalMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Holds usage rows off the request path and writes them in batches: every `flushIntervalMs`, or as
 * soon as `batchSize` rows wait. A failed write keeps its rows and retries with
 * exponential backoff; the bound drops the oldest rows, never growing memory and never failing a request.
 */
export class UsageBuffer {
  private readonly queue: RingQueue<UsageRecord>;
  private readonly maxBackoffMs: number;
  private readonly writers: number;
  private readonly reportIntervalMs: number;
  private timer?: NodeJS.Timeout;
  private writing?: Promise<void>;
  private writeScheduled = false;
  private failures = 0;
  private retryAt = 0;
  private droppedTotal = 0;
  private droppedUnreported = 0;
  private lastDropReport = 0;
  private lastFailureReport = 0;

  constructor(private readonly options: UsageBufferOptions) {
    this.queue = new RingQueue(options.maxRows);
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.writers = options.writers ?? 1;
    this.reportIntervalMs = options.reportIntervalMs ?? 10000;
  }

  /** Rows waiting to be written. */
  get size(): number {
    return this.queue.size;
  }

  /** Rows dropped at the bound since start. */
  get dropped(): number {
    return this.droppedTotal;
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.options.flushIntervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The hot path: no await, no I/O; at most a deferred write is scheduled. */
  record(row: UsageRecord): void {
    const dropped = this.queue.push(row);
    if (dropped > 0) this.countDropped(dropped);
    if (
      this.queue.size >= this.options.batchSize &&
      !this.writing &&
      !this.writeScheduled &&
      Date.now() >= this.retryAt
    ) {
      this.writeScheduled = true;
      setImmediate(() => {
        this.writeScheduled = false;
        void this.flush();
      });
    }
  }

  /** Writes what is buffered unless backing off after a failure; one flush (of up to `writers` batches at once) at a time. */
  flush(): Promise<void> {
    if (!this.writing) {
      const writers = Math.max(1, Math.min(this.writers, Math.ceil(this.queue.size / this.options.batchSize)));
      const all =
        writers === 1
          ? this.writeAll()
          : Promise.all(Array.from({ length: writers }, () => this.writeAll())).then(() => undefined);
      this.writing = all.finally(() => (this.writing = undefined));
    }
    return this.writing;
  }

  /**
   * Writes every buffered row, retrying through failures until `timeoutMs` has passed (shutdown).
   * Returns how many rows could not be written.
   */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    await this.flush();
    while (this.queue.size > 0 && Date.now() < deadline) {
      await sleep(Math.max(0, Math.min(this.retryAt, deadline) - Date.now()));
      this.retryAt = 0;
      await this.flush();
    }
    this.reportDropped(true);
    const left = this.queue.size;
    if (left > 0)
      this.options.logger.error(`Shutting down with ${left} usage rows not written: the database stayed unreachable`);
    return left;
  }

  private tick(): void {
    this.reportDropped(false);
    if (this.queue.size > 0 && Date.now() >= this.retryAt) void this.flush();
  }

  /**
   * Writes one batch, then more only while full batches wait (a backlog). A partial remainder waits
   * for the next tick, so a slow database gets a few large INSERTs rather than many small ones back to back.
   */
  private async writeAll(): Promise<void> {
    let first = true;
    while (this.queue.size > 0 && (first || this.queue.size >= this.options.batchSize) && Date.now() >= this.retryAt) {
      first = false;
      const batch = this.queue.shift(this.options.batchSize);
      try {
        await this.options.write(batch);
      } catch (error) {
        const dropped = this.queue.unshift(batch);
        if (dropped > 0) this.countDropped(dropped);
        this.onFailure(error);
        return;
      }
      if (this.failures > 0) {
        this.options.logger.log(`Usage rows are being written again after ${this.failures} failed attempts`);
        this.failures = 0;
      }
    }
  }

  private onFailure(error: unknown): void {
    const delay = Math.min(this.options.flushIntervalMs * 2 ** this.failures, this.maxBackoffMs);
    this.failures++;
    this.retryAt = Date.now() + delay;
    const now = Date.now();
    if (now - this.lastFailureReport >= this.reportIntervalMs) {
      this.lastFailureReport = now;
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger.warn(
        `Usage rows not written (${this.queue.size} buffered, retrying in ${delay} ms): ${reason}`,
      );
    }
  }

  private countDropped(count: number): void {
    this.droppedTotal += count;
    this.droppedUnreported += count;
  }

  private reportDropped(force: boolean): void {
    if (this.droppedUnreported === 0) return;
    const now = Date.now();
    if (!force && now - this.lastDropReport < this.reportIntervalMs) return;
    this.lastDropReport = now;
    this.options.logger.warn(
      `Usage buffer full (${this.options.maxRows} rows): dropped the ${this.droppedUnreported} oldest rows ` +
        `(${this.droppedTotal} since start)`,
    );
    this.droppedUnreported = 0;
  }
}
