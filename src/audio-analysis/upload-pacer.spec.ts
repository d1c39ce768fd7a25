import { UPLOAD_BURST_BYTES, UploadPacer } from './upload-pacer';

const MIB = 1024 * 1024;
const BYTES_PER_SECOND = 64 * MIB;
const CHUNK = 64 * 1024;
/** Milliseconds one chunk is worth at the rate. */
const CHUNK_MS = (1000 * CHUNK) / BYTES_PER_SECOND;

describe('UploadPacer', () => {
  const pacer = () => new UploadPacer({ audioUploadBytesPerSecond: BYTES_PER_SECOND });

  it('grants the burst at once, so a small upload is never held back', () => {
    const p = pacer();
    for (let read = 0; read < UPLOAD_BURST_BYTES; read += CHUNK) expect(p.reserve(CHUNK, 0)).toBe(0);
  });

  it('beyond the burst, makes each chunk wait what it is worth at the rate', () => {
    const p = pacer();
    p.reserve(UPLOAD_BURST_BYTES, 0);
    expect(p.reserve(CHUNK, 0)).toBeCloseTo(CHUNK_MS);
    expect(p.reserve(CHUNK, 0)).toBeCloseTo(2 * CHUNK_MS);
  });

  it('shares the rate between uploads read at the same time, first come first served', () => {
    const p = pacer();
    p.reserve(UPLOAD_BURST_BYTES, 0);
    const waits = [p.reserve(CHUNK, 0), p.reserve(CHUNK, 0), p.reserve(CHUNK, 0)];
    waits.forEach((waitMs, i) => expect(waitMs).toBeCloseTo((i + 1) * CHUNK_MS));
  });

  it('reads a long upload at the rate on average', () => {
    const p = pacer();
    const total = 32 * MIB;
    let clockMs = 0;
    for (let read = 0; read < total; read += CHUNK) clockMs += p.reserve(CHUNK, clockMs);
    expect(clockMs).toBeCloseTo((1000 * (total - UPLOAD_BURST_BYTES)) / BYTES_PER_SECOND);
  });

  it('lets an idle pacer recover its burst, and no more', () => {
    const p = pacer();
    p.reserve(UPLOAD_BURST_BYTES + CHUNK, 0);
    const idleMs = 10_000;
    expect(p.reserve(UPLOAD_BURST_BYTES, idleMs)).toBe(0);
    expect(p.reserve(CHUNK, idleMs)).toBeCloseTo(CHUNK_MS);
  });
});
