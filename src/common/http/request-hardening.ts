import { REPORTS_PATH } from '../../secret-scanning/raw-body-capture';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { DomainException, validationFailed } from '../errors/domain.exception';
import { ERROR_DEFINITIONS, ErrorCode } from '../errors/error-code.enum';
import { sendError } from '../filters/all-exceptions.filter';
import { inspectJson, textProblem } from './json-inspection';

/** Request bodies of every route: the contract's 1 MiB. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Unauthenticated credential routes take a few short fields: a big body there is only load. */
export const AUTH_BODY_LIMIT_BYTES = 16 * 1024;
const AUTH_ROUTES = /^\/auth\//;
/** Longest path parameter (a UUID is 36); longer is answered 414 without echoing the URL. */
export const MAX_PARAM_LENGTH = 100;

const logger = new Logger('HTTP');

/**
 * Parses JSON bodies and applies {@link inspectJson}'s limits before any validation runs. Only
 * objects are bodies: a top-level `null`, number or string is refused rather than read as `{}`.
 */
function parseJsonBody(request: FastifyRequest, text: string): unknown {
  if (text.trim() === '') throw validationFailed([{ field: 'body', message: 'body must not be empty' }]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw validationFailed([{ field: 'body', message: 'Malformed JSON body' }]);
  }
  // GitHub's secret-scanning reports are a JSON array (the contract's format).
  const arrayAllowed = request.routeOptions.url === REPORTS_PATH;
  if (value === null || typeof value !== 'object' || (Array.isArray(value) && !arrayAllowed)) {
    throw validationFailed([{ field: 'body', message: 'body must be a JSON object' }]);
  }
  const problem = inspectJson(value);
  if (problem) throw validationFailed([problem]);
  return value;
}

/** Query strings and path parameters: the same text rules as body strings (PostgreSQL refuses NUL). */
function checkQueryAndParams(request: FastifyRequest): void {
  for (const [source, values] of [
    ['query', request.query],
    ['params', request.params],
  ] as const) {
    if (values === null || typeof values !== 'object') continue;
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
      for (const text of [key, ...(Array.isArray(value) ? (value as unknown[]) : [value])]) {
        if (typeof text !== 'string') continue;
        const problem = textProblem(text);
        if (problem) {
          const field = textProblem(key) ? source : key;
          throw validationFailed([{ field, message: `${field} ${problem}` }]);
        }
      }
    }
  }
}

const FRAMEWORK_ERRORS: Record<string, () => DomainException> = {
  FST_ERR_BAD_URL: () => validationFailed([{ field: 'path', message: 'path has malformed percent-encoding' }]),
  FST_ERR_MAX_PARAM_LENGTH: () => new DomainException(ErrorCode.UriTooLong),
};

/** Answers for requests Node's HTTP parser refuses (no Fastify request exists yet). */
function clientErrorResponse(code: string | undefined): { status: number; body: Record<string, unknown> } {
  const of = (errorCode: ErrorCode, extra?: Record<string, unknown>) => ({
    status: ERROR_DEFINITIONS[errorCode].status,
    body: { error: ERROR_DEFINITIONS[errorCode].message, ...extra },
  });
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return of(ErrorCode.RequestTimeout);
  if (code === 'HPE_HEADER_OVERFLOW') return of(ErrorCode.HeadersTooLarge);
  return of(ErrorCode.ValidationFailed, { details: [{ field: 'request', message: 'Malformed HTTP request' }] });
}

function onClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, body } = clientErrorResponse(error.code);
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}

/** Fastify options that make the framework's own refusals answer the contract's bodies. */
export const hardenedServerOptions: Pick<
  FastifyServerOptions,
  'bodyLimit' | 'routerOptions' | 'frameworkErrors' | 'clientErrorHandler'
> = {
  bodyLimit: BODY_LIMIT_BYTES,
  routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  frameworkErrors: (error, _request, reply) => {
    const answer = FRAMEWORK_ERRORS[error.code]?.() ?? error;
    sendError(reply, answer, logger);
  },
  clientErrorHandler: onClientError,
};

/**
 * Input rules every route gets, present and future: JSON only (anything else, a body without
 * `Content-Type` included, is 415), the JSON limits, small bodies on `/auth/*`, and NUL-free,
 * well-formed text in queries and path parameters. Call before the routes are registered.
 */
export function hardenRequests(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, parseJsonBody(request, body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addHook('onRoute', (route) => {
    if (AUTH_ROUTES.test(route.url) && route.bodyLimit === undefined) route.bodyLimit = AUTH_BODY_LIMIT_BYTES;
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      checkQueryAndParams(request);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}
