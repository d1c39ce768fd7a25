import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RingQueue } from './ring-queue';
import type { UsageRecord } from './usage-record';

export interface UsageBufferOptions {
  /** Bound on the rows held in memory, failed batches included; past it the oldest are dropped (and counted). */
  maxRows: number;
  /** Rows per INSERT; reaching it also triggers a write without waiting for the timer. */
  batchSize: number;
  flushIntervalMs: number;
  /**
   * Writes one batch; a rejection keeps the batch for a retry with the same `batchId`. A rejected
   * write may still have committed (the connection cut after the commit), so the id must make a
   * second write of it a no-op.
   */
  write: (rows: UsageRecord[], batchId: string) => Promise<void>;
  logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  /** Batches written at once when more than one is waiting (PostgreSQL connections it may use). */
  writers?: number;
  /** Longest wait between retries while the database is unreachable. */
  maxBackoffMs?: number;
  /** At most one "dropped" or "write failed" line per this many ms. */
  reportIntervalMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Rows taken from the queue together, written (and retried) as one unit under one id. */
interface Batch {
  id: string;
  rows: UsageRecord[];
  /** Order taken from the queue: failed batches are retried oldest first. */
  taken: number;
  /** Rows before this index were dropped at the bound while the batch waited for its retry. */
  from: number;
}

/**
 * Holds usage rows off the request path and writes them in batches: every `flushIntervalMs`, or as
 * soon as `batchSize` rows wait. A failed batch is kept whole, with its id, and retried before any new
 * rows are batched, with exponential backoff; the bound drops the oldest rows, never growing memory and
 * never failing a request.
 */
export class UsageBuffer {
  private readonly queue: RingQueue<UsageRecord>;
  /** Failed batches awaiting their retry, oldest first; every row in them is older than the queue's. */
  private readonly failed: Batch[] = [];
  private failedRows = 0;
  private taken = 0;
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

  /** Rows waiting to be written, failed batches included. */
  get size(): number {
    return this.queue.size + this.failedRows;
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
    if (this.failedRows > 0 && this.size >= this.options.maxRows) this.dropFailed(1);
    const dropped = this.queue.push(row);
    if (dropped > 0) this.countDropped(dropped);
    if (this.size >= this.options.batchSize && !this.writing && !this.writeScheduled && Date.now() >= this.retryAt) {
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
      const batches = this.failed.length + Math.ceil(this.queue.size / this.options.batchSize);
      const writers = Math.max(1, Math.min(this.writers, batches));
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
    while (this.size > 0 && Date.now() < deadline) {
      await sleep(Math.max(0, Math.min(this.retryAt, deadline) - Date.now()));
      this.retryAt = 0;
      await this.flush();
    }
    this.reportDropped(true);
    const left = this.size;
    if (left > 0)
      this.options.logger.error(`Shutting down with ${left} usage rows not written: the database stayed unreachable`);
    return left;
  }

  private tick(): void {
    this.reportDropped(false);
    if (this.size > 0 && Date.now() >= this.retryAt) void this.flush();
  }

  /**
   * Writes one batch, then more only while full batches wait (a backlog). A partial remainder waits
   * for the next tick, so a slow database gets a few large INSERTs rather than many small ones back to back.
   */
  private async writeAll(): Promise<void> {
    let first = true;
    while (this.size > 0 && (first || this.size >= this.options.batchSize) && Date.now() >= this.retryAt) {
      first = false;
      const batch = this.nextBatch();
      try {
        await this.options.write(batch.rows, batch.id);
      } catch (error) {
        this.keepFailed(batch);
        this.onFailure(error);
        return;
      }
      if (this.failures > 0) {
        this.options.logger.log(`Usage rows are being written again after ${this.failures} failed attempts`);
        this.failures = 0;
      }
    }
  }

  /** The oldest failed batch, as it was (same id, same rows); only without one are new rows batched. */
  private nextBatch(): Batch {
    const retry = this.failed.shift();
    if (retry === undefined)
      return { id: randomUUID(), rows: this.queue.shift(this.options.batchSize), taken: this.taken++, from: 0 };
    this.failedRows -= retry.rows.length - retry.from;
    if (retry.from > 0) {
      retry.rows = retry.rows.slice(retry.from);
      retry.from = 0;
    }
    return retry;
  }

  /** Holds a failed batch in taking order (writers fail out of order), then enforces the bound. */
  private keepFailed(batch: Batch): void {
    let at = this.failed.length;
    while (at > 0 && this.failed[at - 1].taken > batch.taken) at--;
    this.failed.splice(at, 0, batch);
    this.failedRows += batch.rows.length;
    const over = this.size - this.options.maxRows;
    if (over > 0) this.dropFailed(over);
  }

  /**
   * Drops the `count` oldest rows, which are the failed batches' (older than anything queued). A
   * trimmed batch keeps its id: should an earlier attempt have committed, its retry still writes nothing.
   */
  private dropFailed(count: number): void {
    let left = Math.min(count, this.failedRows);
    this.countDropped(left);
    this.failedRows -= left;
    while (left > 0) {
      const oldest = this.failed[0];
      const dropped = Math.min(left, oldest.rows.length - oldest.from);
      oldest.from += dropped;
      left -= dropped;
      if (oldest.from === oldest.rows.length) this.failed.shift();
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
      this.options.logger.warn(`Usage rows not written (${this.size} buffered, retrying in ${delay} ms): ${reason}`);
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
