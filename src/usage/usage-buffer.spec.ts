import { UsageBuffer, UsageBufferOptions } from './usage-buffer';
import type { UsageRecord } from './usage-record';

const row = (n: number): UsageRecord => ({
  apiKeyId: 'key',
  userId: 'user',
  method: 'GET',
  route: '/tracks/:id',
  statusCode: 200,
  responseTimeMs: 1.5,
  clientIp: '127.0.0.1',
  createdAt: n,
});

const logger = () => ({ log: jest.fn(), warn: jest.fn(), error: jest.fn() });

function bufferWith(options: Partial<UsageBufferOptions> & Pick<UsageBufferOptions, 'write'>) {
  const log = logger();
  const buffer = new UsageBuffer({
    maxRows: 100,
    batchSize: 10,
    flushIntervalMs: 10,
    logger: log,
    maxBackoffMs: 20,
    ...options,
  });
  return { buffer, log };
}

const createdAts = (batches: UsageRecord[][]): number[] => batches.flat().map((r) => r.createdAt);

describe(UsageBuffer.name, () => {
  it('writes a full batch at once, without waiting for the timer', async () => {
    const written: UsageRecord[][] = [];
    const { buffer } = bufferWith({
      flushIntervalMs: 60_000,
      write: (rows) => Promise.resolve(void written.push(rows)),
    });
    for (let i = 0; i < 10; i++) buffer.record(row(i));
    await new Promise((resolve) => setImmediate(resolve));
    await buffer.flush();
    expect(written).toHaveLength(1);
    expect(createdAts(written)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('writes a partial batch on the timer', async () => {
    const written: UsageRecord[][] = [];
    const { buffer } = bufferWith({ write: (rows) => Promise.resolve(void written.push(rows)) });
    buffer.start();
    buffer.record(row(1));
    await new Promise((resolve) => setTimeout(resolve, 40));
    buffer.stop();
    expect(createdAts(written)).toEqual([1]);
  });

  it('leaves rows that arrive during a slow write to the next tick unless a full batch waits', async () => {
    const written: UsageRecord[][] = [];
    let next = 0;
    const { buffer } = bufferWith({
      flushIntervalMs: 60_000,
      write: async (rows) => {
        written.push(rows);
        // Requests go on while PostgreSQL works: 3 rows arrive during the first write, none later.
        if (written.length === 1) for (let i = 0; i < 3; i++) buffer.record(row(100 + next++));
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    buffer.record(row(1));
    await buffer.flush();
    expect(written.map((rows) => rows.length)).toEqual([1]);
    expect(buffer.size).toBe(3);
    // A backlog of more than a batch: the full batch goes at once, the remainder waits again.
    for (let i = 0; i < 10; i++) buffer.record(row(200 + i));
    await buffer.flush();
    expect(written.map((rows) => rows.length)).toEqual([1, 10]);
    expect(buffer.size).toBe(3);
  });

  it('keeps rows through failed writes and writes them, in order, once the database is back', async () => {
    const written: UsageRecord[][] = [];
    let failures = 3;
    const { buffer, log } = bufferWith({
      write: (rows) => {
        if (failures-- > 0) return Promise.reject(new Error('connection refused'));
        written.push(rows);
        return Promise.resolve();
      },
    });
    for (let i = 0; i < 25; i++) buffer.record(row(i));
    expect(await buffer.drain(5000)).toBe(0);
    expect(createdAts(written)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('connection refused'));
  });

  it('retries a failed batch as the same batch (same id, same rows), before batching rows that came since', async () => {
    const attempts: { id: string; rows: number[] }[] = [];
    let failures = 2;
    const { buffer } = bufferWith({
      write: (rows, id) => {
        attempts.push({ id, rows: rows.map((r) => r.createdAt) });
        return failures-- > 0 ? Promise.reject(new Error('connection reset')) : Promise.resolve();
      },
    });
    for (let i = 0; i < 4; i++) buffer.record(row(i));
    await buffer.flush();
    // Arrive during the backoff: they go to a batch of their own, after the failed one.
    for (let i = 4; i < 7; i++) buffer.record(row(i));
    expect(buffer.size).toBe(7);
    expect(await buffer.drain(5000)).toBe(0);
    const [first, second, third, fourth] = attempts;
    expect(attempts).toHaveLength(4);
    expect([second, third]).toEqual([first, first]);
    expect(first.rows).toEqual([0, 1, 2, 3]);
    expect(fourth.rows).toEqual([4, 5, 6]);
    expect(fourth.id).not.toBe(first.id);
    expect(new Set(attempts.map(({ id }) => id)).size).toBe(2);
  });

  it('retries failed batches oldest first when several writers fail at once', async () => {
    const calls: { id: string; rows: number[] }[] = [];
    let failing = true;
    const { buffer } = bufferWith({
      writers: 2,
      write: async (rows, id) => {
        calls.push({ id, rows: rows.map((r) => r.createdAt) });
        // The older batch fails last, so it is held after the newer one.
        await new Promise((resolve) => setTimeout(resolve, failing && rows[0].createdAt === 0 ? 10 : 1));
        if (failing) throw new Error('connection refused');
      },
    });
    for (let i = 0; i < 20; i++) buffer.record(row(i));
    await buffer.flush();
    const [older, newer] = calls;
    expect([older.rows[0], newer.rows[0]]).toEqual([0, 10]);
    failing = false;
    expect(await buffer.drain(5000)).toBe(0);
    expect(calls.slice(2)).toEqual([older, newer]);
  });

  it('counts failed batches in the bound: new rows push out their oldest rows, the batch keeps its id', async () => {
    const MAX_ROWS = 12;
    const BATCH = 10;
    const LATER = 5;
    const attempts: { id: string; rows: number[] }[] = [];
    let failing = true;
    const { buffer, log } = bufferWith({
      maxRows: MAX_ROWS,
      batchSize: BATCH,
      flushIntervalMs: 60_000,
      write: (rows, id) => {
        attempts.push({ id, rows: rows.map((r) => r.createdAt) });
        return failing ? Promise.reject(new Error('down')) : Promise.resolve();
      },
    });
    for (let i = 0; i < BATCH; i++) buffer.record(row(i));
    await buffer.flush();
    expect(buffer.size).toBe(BATCH);
    for (let i = 0; i < LATER; i++) buffer.record(row(100 + i));
    const overflow = BATCH + LATER - MAX_ROWS;
    expect(buffer.size).toBe(MAX_ROWS);
    expect(buffer.dropped).toBe(overflow);
    failing = false;
    expect(await buffer.drain(5000)).toBe(0);
    const [failed, retried, later] = attempts;
    expect(retried).toEqual({ id: failed.id, rows: failed.rows.slice(overflow) });
    expect(later.rows).toEqual([100, 101, 102, 103, 104]);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining(`dropped the ${overflow} oldest rows`));
  });

  it('drops a failed batch at the bound when newer rows filled it during the write', async () => {
    const MAX_ROWS = 5;
    const attempts: number[][] = [];
    let failing = true;
    const { buffer } = bufferWith({
      maxRows: MAX_ROWS,
      batchSize: 3,
      flushIntervalMs: 60_000,
      write: (rows) => {
        attempts.push(rows.map((r) => r.createdAt));
        if (!failing) return Promise.resolve();
        for (let i = 0; i < MAX_ROWS; i++) buffer.record(row(100 + i));
        return Promise.reject(new Error('down'));
      },
    });
    for (let i = 0; i < 3; i++) buffer.record(row(i));
    await buffer.flush();
    failing = false;
    expect(buffer.size).toBe(MAX_ROWS);
    expect(buffer.dropped).toBe(3);
    expect(await buffer.drain(5000)).toBe(0);
    expect(attempts.slice(1).flat()).toEqual([100, 101, 102, 103, 104]);
  });

  it('writes a backlog with several writers at once, every row exactly once', async () => {
    const written: UsageRecord[][] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const { buffer } = bufferWith({
      writers: 2,
      write: async (rows) => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        written.push(rows);
      },
    });
    for (let i = 0; i < 45; i++) buffer.record(row(i));
    await buffer.drain(1000);
    expect(mostInFlight).toBe(2);
    expect(createdAts(written).sort((a, b) => a - b)).toEqual(Array.from({ length: 45 }, (_, i) => i));
  });

  it('drops and counts the oldest rows at the bound, with one log line', async () => {
    const written: UsageRecord[][] = [];
    const { buffer, log } = bufferWith({
      maxRows: 5,
      batchSize: 100,
      write: (rows) => Promise.resolve(void written.push(rows)),
    });
    for (let i = 0; i < 8; i++) buffer.record(row(i));
    expect(buffer.dropped).toBe(3);
    await buffer.drain(1000);
    expect(createdAts(written)).toEqual([3, 4, 5, 6, 7]);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('dropped the 3 oldest rows'));
  });

  it('gives up at the shutdown deadline and reports what is left', async () => {
    const { buffer, log } = bufferWith({ write: () => Promise.reject(new Error('down')) });
    buffer.record(row(1));
    expect(await buffer.drain(50)).toBe(1);
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining('1 usage rows not written'));
  });
});
