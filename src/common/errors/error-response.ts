import { HttpException, HttpStatus } from '@nestjs/common';
import { types } from 'node:util';
import { DomainException } from './domain.exception';
import { ERROR_DEFINITIONS, ErrorCode } from './error-code.enum';

export interface ErrorResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  /** Not answered on purpose: worth a log line with its stack. */
  unexpected: boolean;
  /** A backing store is down or too slow: logged once per outage, not per request. */
  outage?: boolean;
}

const HTTP_STATUS_TO_CODE: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.ValidationFailed,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.InvalidToken,
  [HttpStatus.NOT_FOUND]: ErrorCode.NotFound,
  [HttpStatus.METHOD_NOT_ALLOWED]: ErrorCode.NotFound,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PayloadTooLarge,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.UnsupportedMediaType,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.TooManyRequests,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.ServiceUnavailable,
};

/** Fastify's own errors (body parsing happens before Nest sees the request). */
const FASTIFY_CODE_TO_ERROR: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PayloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UnsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.ValidationFailed,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.ValidationFailed,
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.ValidationFailed,
};

/** Node socket errors and PostgreSQL connection-class SQLSTATEs: the store is down, not the request wrong. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
  // statement_timeout (DATABASE_STATEMENT_TIMEOUT_MS) cancelled it: the database is too slow to answer.
  '57014',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|Connection timeout/;

function isStoreUnavailable(error: unknown): boolean {
  // A socket error is made by Node itself, in another realm than this code when it runs in a VM
  // context (as under a test runner): `instanceof Error` alone would not recognise it.
  if (!(error instanceof Error) && !types.isNativeError(error)) return false;
  const cause = (error as { driverError?: unknown }).driverError ?? error;
  const { code, message } = cause as { code?: string; message?: string };
  return (code !== undefined && UNAVAILABLE_CODES.has(code)) || UNAVAILABLE_MESSAGE.test(message ?? '');
}

function fromCode(code: ErrorCode, extra?: Record<string, unknown>): ErrorResponse {
  const { status, message } = ERROR_DEFINITIONS[code];
  return { status, body: { error: message, ...extra }, headers: {}, unexpected: status >= 500 };
}

function isFastifyError(error: unknown): error is Error & { code?: string; statusCode?: number } {
  return error instanceof Error && typeof (error as { statusCode?: unknown }).statusCode === 'number';
}

/**
 * The one mapping from anything thrown to the contract's error bodies. Used by the Nest exception
 * filter and by Fastify's error handler, so every error looks the same whoever caught it.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof DomainException) {
    return { status: error.status, body: error.body(), headers: error.options.headers ?? {}, unexpected: false };
  }
  if (error instanceof HttpException) {
    const code = HTTP_STATUS_TO_CODE[error.getStatus()];
    if (code === ErrorCode.ValidationFailed) {
      // Nest turns Fastify's body-parsing failures (malformed JSON, bad content length) into these.
      return fromCode(code, { details: [{ field: 'body', message: error.message }] });
    }
    if (code) return fromCode(code);
    const status = error.getStatus();
    return { status, body: { error: error.message }, headers: {}, unexpected: status >= 500 };
  }
  if (isFastifyError(error)) {
    const code =
      (error.code && FASTIFY_CODE_TO_ERROR[error.code]) ??
      (error.statusCode === 400 ? ErrorCode.ValidationFailed : undefined);
    if (code === ErrorCode.ValidationFailed) {
      const message =
        error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
          ? 'Malformed JSON body'
          : error.message;
      return fromCode(code, { details: [{ field: 'body', message }] });
    }
    if (code) return fromCode(code);
    const status = error.statusCode ?? 500;
    if (status < 500) return { status, body: { error: error.message }, headers: {}, unexpected: false };
  }
  if (isStoreUnavailable(error)) return { ...fromCode(ErrorCode.ServiceUnavailable), unexpected: false, outage: true };
  return fromCode(ErrorCode.Internal);
}
