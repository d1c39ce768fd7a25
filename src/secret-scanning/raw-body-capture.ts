import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';

/** The route whose signature covers the raw body. */
export const REPORTS_PATH = '/secret-scanning/reports';
/** The service-wide body limit (1 MiB), enforced while reading, before any parsing. */
const MAX_BYTES = 1024 * 1024;

const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/** The body bytes of a {@link REPORTS_PATH} request, exactly as received. */
export const rawBodyOf = (request: FastifyRequest): Buffer | undefined => rawBodies.get(request);

/**
 * A `preParsing` hook that, on {@link REPORTS_PATH} only, reads the payload, keeps its bytes and
 * hands the same bytes on to Fastify's own JSON parser: every other route's parsing is untouched.
 */
@Injectable()
export class RawBodyCapture implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preParsing', async (request, _reply, payload) => {
      if (request.routeOptions.url !== REPORTS_PATH) return payload;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of payload) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        size += bytes.length;
        if (size > MAX_BYTES) throw new DomainException(ErrorCode.PayloadTooLarge);
        chunks.push(bytes);
      }
      const raw = Buffer.concat(chunks);
      rawBodies.set(request, raw);
      const replay = Object.assign(Readable.from([raw]), { receivedEncodedLength: raw.length });
      return replay;
    });
  }
}
