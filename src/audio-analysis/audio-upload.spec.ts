import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { readUpload } from './audio-upload';
import type { UploadPacer } from './upload-pacer';

const CHUNK_SIZES = [65_536, 65_536, 1_000];
const MAX_BYTES = 1024 * 1024;

/** A pacer that grants at once and records what it was asked for. */
const recordingPacer = () => {
  const taken: number[] = [];
  return { taken, pacer: { take: (bytes: number) => Promise.resolve(void taken.push(bytes)) } as UploadPacer };
};

const rawUpload = (chunks: Buffer[]) =>
  ({
    headers: { 'content-length': String(chunks.reduce((sum, chunk) => sum + chunk.length, 0)) },
    body: Readable.from(chunks),
  }) as unknown as FastifyRequest;

describe(readUpload.name, () => {
  const chunks = CHUNK_SIZES.map((size, i) => Buffer.alloc(size, i + 1));

  it('asks the pacer for every chunk it reads, and keeps the bytes in order', async () => {
    const { taken, pacer } = recordingPacer();
    const upload = await readUpload(rawUpload(chunks), 'wav', { maxBytes: MAX_BYTES, pacer });
    expect(taken).toEqual(CHUNK_SIZES);
    expect(Buffer.from(upload.buffer, 0, upload.length).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('reads nothing past the pacer until it grants', async () => {
    let grant: () => void = () => undefined;
    const taken: number[] = [];
    const pacer = {
      take: (bytes: number) => {
        taken.push(bytes);
        return new Promise<void>((resolve) => (grant = resolve));
      },
    } as UploadPacer;
    const reading = readUpload(rawUpload(chunks), 'wav', { maxBytes: MAX_BYTES, pacer });
    await new Promise((resolve) => setImmediate(resolve));
    expect(taken).toEqual(CHUNK_SIZES.slice(0, 1));
    grant();
    await new Promise((resolve) => setImmediate(resolve));
    expect(taken).toEqual(CHUNK_SIZES.slice(0, 2));
    grant();
    await new Promise((resolve) => setImmediate(resolve));
    grant();
    await expect(reading).resolves.toMatchObject({ length: Buffer.concat(chunks).length });
  });
});
