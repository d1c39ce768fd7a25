import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorCodes } from 'fastify';
import type { Readable } from 'node:stream';
import { DomainException, validationFailed } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import type { UploadPacer } from './upload-pacer';

/** Raw WAV bodies this route takes (`Content-Type`, parameters ignored). */
export const WAV_CONTENT_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave'];
export const MULTIPART_CONTENT_TYPE = 'multipart/form-data';
/** The one multipart field holding the recording. */
export const FILE_FIELD = 'file';
/** Route config flag (`@RouteConfig`) of the routes that take uploads; every other route refuses them with 415. */
export const AUDIO_UPLOAD_ROUTE = 'audioUpload';
/** Room for the multipart envelope (boundaries, part headers) on top of the file's own limit. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const INITIAL_CAPACITY_BYTES = 1024 * 1024;

/** The uploaded file, held once in memory that the analysis worker reads without a copy. */
export interface UploadedAudio {
  buffer: SharedArrayBuffer;
  length: number;
}

type UploadKind = 'wav' | 'multipart';

/** `SharedArrayBuffer` that can grow (ES2024; not yet in this project's `lib`). */
interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  grow(newLength: number): void;
}
const GrowableSharedArrayBuffer = SharedArrayBuffer as unknown as new (
  length: number,
  options: { maxByteLength: number },
) => GrowableSharedArrayBuffer;

const mediaType = (request: FastifyRequest): string =>
  (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

const isUploadRoute = (request: FastifyRequest): boolean =>
  (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[AUDIO_UPLOAD_ROUTE] === true;

const payloadTooLarge = (): DomainException => new DomainException(ErrorCode.PayloadTooLarge);

/**
 * Lets upload routes read audio and multipart bodies as streams, within their own size limit rather
 * than the global JSON body limit; every other route refuses those types as before (415).
 */
export function registerAudioUploads(fastify: FastifyInstance, maxBytes: number): void {
  const refuse = (request: FastifyRequest) => new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(mediaType(request));
  fastify.addContentTypeParser(/^audio\//, (request, payload, done) => {
    if (isUploadRoute(request)) done(null, payload);
    else done(refuse(request), undefined);
  });
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    if (mediaType(request) === MULTIPART_CONTENT_TYPE && !isUploadRoute(request)) done(refuse(request), payload);
    else done(null, payload);
  });
  // Not awaited: awaiting would load the plugin now, ahead of the error handler Nest installs later.
  void fastify.register(multipart, { limits: { files: 1, fileSize: maxBytes + 1, fields: 0 } });
}

/** Which kind of upload the request carries; anything else is not a format the route takes (415). */
export function uploadKind(request: FastifyRequest): UploadKind {
  const type = mediaType(request);
  if (WAV_CONTENT_TYPES.includes(type)) return 'wav';
  if (type === MULTIPART_CONTENT_TYPE) return 'multipart';
  throw new DomainException(ErrorCode.UnsupportedMediaType);
}

/** How an upload is read: its size limit, and the pacer every chunk read waits for. */
export interface UploadReading {
  maxBytes: number;
  pacer: UploadPacer;
}

/**
 * Copies a stream into one growable shared buffer, chunk by chunk as the pacer allows. Past
 * `maxBytes` it stops reading and answers 413 on a connection that then closes, so the rest of an
 * oversized upload is never read.
 */
async function collect(stream: Readable, { maxBytes, pacer }: UploadReading, sizeHint: number): Promise<UploadedAudio> {
  const initial = Math.min(maxBytes, sizeHint > 0 ? sizeHint : INITIAL_CAPACITY_BYTES);
  const buffer = new GrowableSharedArrayBuffer(initial, { maxByteLength: maxBytes });
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (length + chunk.length > maxBytes) {
        throw new DomainException(ErrorCode.PayloadTooLarge, { headers: { Connection: 'close' } });
      }
      if (length + chunk.length > buffer.byteLength) {
        buffer.grow(Math.min(maxBytes, Math.max(buffer.byteLength * 2, length + chunk.length)));
      }
      new Uint8Array(buffer, length, chunk.length).set(chunk);
      length += chunk.length;
      await pacer.take(chunk.length);
    }
  } catch (error) {
    if (error instanceof DomainException) throw error;
    // The client went away mid-upload: what arrived is a cut-short file.
    throw new DomainException(ErrorCode.InvalidAudioFile);
  }
  return { buffer, length };
}

/** Reads the upload (a raw WAV body or the multipart field `file`) into memory the worker shares. */
export async function readUpload(
  request: FastifyRequest,
  kind: UploadKind,
  reading: UploadReading,
): Promise<UploadedAudio> {
  const { maxBytes } = reading;
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (kind === 'wav') {
    if (declared > maxBytes) throw payloadTooLarge();
    if (!request.body) return { buffer: new SharedArrayBuffer(0), length: 0 };
    return collect(request.body as Readable, reading, declared);
  }
  if (declared > maxBytes + MULTIPART_OVERHEAD_BYTES) throw payloadTooLarge();
  let part;
  try {
    part = await request.file();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_FIELDS_LIMIT') throw onlyFileField();
    throw new DomainException(ErrorCode.ValidationFailed, {
      extra: { details: [{ field: 'body', message: 'Malformed multipart body' }] },
    });
  }
  if (!part || part.fieldname !== FILE_FIELD) {
    part?.file.resume();
    throw onlyFileField();
  }
  const upload = await collect(part.file, reading, declared);
  if (part.file.truncated) throw payloadTooLarge();
  return upload;
}

const onlyFileField = (): DomainException =>
  validationFailed([
    { field: FILE_FIELD, message: `send the recording as one multipart file field named ${FILE_FIELD}` },
  ]);
