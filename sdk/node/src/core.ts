import { APIConnectionError, errorFor, type ErrorBody } from './errors.js';
import { Page, type PageBody } from './pagination.js';

export const DEFAULT_BASE_URL = 'https://api.tunetrail.dev';
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;
/** Added to a `Retry-After` wait so a crowd of clients does not all retry at the window's first instant. */
const RETRY_AFTER_JITTER_MS = 250;
/** Idempotent methods: retried after 502/503/504 or a lost connection (a 429 is retried for any method). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRIED_STATUSES = new Set([502, 503, 504]);

export interface ClientOptions {
  /** The API's address; defaults to `TUNETRAIL_API_URL`, then (in a browser) the page's origin, then https://api.tunetrail.dev. */
  baseUrl?: string;
  /** Retries after a 429 (any method) or a 502/503/504/lost connection (GET, PUT, DELETE). Default 2. */
  maxRetries?: number;
  /** Time allowed for each attempt, in ms. Default 30000. */
  timeoutMs?: number;
  /** A 429 whose `Retry-After` is longer than this (ms) is thrown at once instead of waited out. Default 60000. */
  maxRetryWaitMs?: number;
  /** A `fetch` implementation (default: the global one). */
  fetch?: typeof fetch;
}

/** The rate-limit headers of the last answer that carried them. */
export interface RateLimitState {
  /** `X-RateLimit-Limit`: the limit of the window with the fewest requests left. */
  limit: number;
  /** `X-RateLimit-Remaining`. */
  remaining: number;
  /** `X-RateLimit-Reset`: when that window resets (ISO 8601). */
  reset: string;
  /** `RateLimit-Policy`, all three windows (`"minute";q=60;w=60, ...`), or null. */
  policy: string | null;
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with `contentType` (uploads). */
  rawBody?: { data: BodyInit; contentType: string };
  /** Cancels the request (and any retry wait). */
  signal?: AbortSignal;
}

/** The environment variable `name` in Node; undefined in a browser, where there is no `process`. */
export function envVar(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[name];
  return value === '' ? undefined : value;
}

function defaultBaseUrl(): string {
  const location = (globalThis as { location?: { origin?: string } }).location;
  return (
    envVar('TUNETRAIL_API_URL') ?? (location?.origin && location.origin !== 'null' ? location.origin : DEFAULT_BASE_URL)
  );
}

/** Whether a browser page would send this request to another origin (never in Node). */
function isCrossOrigin(url: string): boolean {
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  return origin !== undefined && new URL(url).origin !== origin;
}

function newRequestId(): string | null {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return typeof crypto?.randomUUID === 'function' ? crypto.randomUUID() : null;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const aborted = (): Error => (signal?.reason instanceof Error ? signal.reason : new Error('Aborted'));
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with full jitter: a random wait in [0, min(cap, base * 2^attempt)). */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), or null. */
function retryAfterSeconds(headers: Headers): number | null {
  const value = headers.get('retry-after');
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function rateLimitOf(headers: Headers): RateLimitState | null {
  const limit = headers.get('x-ratelimit-limit');
  const remaining = headers.get('x-ratelimit-remaining');
  const reset = headers.get('x-ratelimit-reset');
  if (limit === null || remaining === null || reset === null) return null;
  return { limit: Number(limit), remaining: Number(remaining), reset, policy: headers.get('ratelimit-policy') };
}

/** A body's text as JSON when the answer says it is JSON (undefined when empty). */
function parseBody(response: Response, text: string): unknown {
  if (text === '') return undefined;
  if (!(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The request core every resource goes through: URL and query building, JSON bodies, the
 * Authorization header, per-attempt timeouts, the contract's retry rules and typed errors.
 * It uses only what browsers and Node share (fetch, AbortController, Headers).
 */
export abstract class HttpClient {
  readonly baseUrl: string;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly maxRetryWaitMs: number;
  /** The rate-limit headers of the last answer that carried them (API-key routes), or null. */
  lastRateLimit: RateLimitState | null = null;
  /** The `x-request-id` of the last answer. */
  lastRequestId: string | null = null;
  readonly #fetch: typeof fetch;

  protected constructor(options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? defaultBaseUrl()).replace(/\/+$/, '');
    this.maxRetries = Math.max(0, options.maxRetries ?? DEFAULT_MAX_RETRIES);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
    if (!options.fetch && typeof globalThis.fetch !== 'function')
      throw new TypeError('No fetch available: pass options.fetch');
    // Called unbound, browsers refuse fetch ("Illegal invocation").
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The `Authorization` header value, or throws (locally) when the credential is missing or malformed. */
  protected abstract authorization(): string | null;

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  delete<T = void>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** The first page of a list route; iterating it (`for await`) walks every item of every page. */
  async list<T>(path: string, query: Query = {}): Promise<Page<T>> {
    const fetchPage = async (offset: number): Promise<Page<T>> => {
      const body = await this.get<PageBody<T>>(path, { ...query, offset });
      return new Page(body, fetchPage);
    };
    const first = await this.get<PageBody<T>>(path, query);
    return new Page(first, fetchPage);
  }

  url(path: string, query?: Query): string {
    const url = `${this.baseUrl}${path}`;
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) params.append(name, String(value));
    }
    const search = params.toString();
    return search ? `${url}?${search}` : url;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const authorization = this.authorization();
    if (authorization) headers.authorization = authorization;
    const url = this.url(path, options.query);
    // A custom header on a cross-origin browser request needs the server's CORS consent: only sent where none is needed.
    const sentRequestId = isCrossOrigin(url) ? null : newRequestId();
    if (sentRequestId) headers['x-request-id'] = sentRequestId;
    let body: BodyInit | undefined;
    if (options.rawBody) {
      headers['content-type'] = options.rawBody.contentType;
      body = options.rawBody.data;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const idempotent = IDEMPOTENT.has(method);

    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < this.maxRetries;
      let response: Response;
      let text: string;
      const timeout = AbortSignal.timeout(this.timeoutMs);
      try {
        const signal = options.signal ? anySignal([options.signal, timeout]) : timeout;
        response = await this.#fetch(url, { method, headers, body, signal });
        // Read inside the timeout: a server that stalls mid-body is a timeout too.
        text = await response.text();
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const timedOut = timeout.aborted;
        if (idempotent && canRetry) {
          await sleep(backoffMs(attempt), options.signal);
          continue;
        }
        throw new APIConnectionError({
          status: null,
          message: timedOut
            ? `Request timed out after ${this.timeoutMs} ms: ${method} ${url}`
            : `Connection error: ${method} ${url}: ${describe(error)}`,
          requestId: sentRequestId,
          timedOut,
          cause: error,
        });
      }

      const requestId = response.headers.get('x-request-id') ?? sentRequestId;
      this.lastRequestId = requestId;
      this.lastRateLimit = rateLimitOf(response.headers) ?? this.lastRateLimit;
      if (response.ok) return parseBody(response, text) as T;

      const retryAfter = retryAfterSeconds(response.headers);
      if (canRetry) {
        let waitMs: number | null = null;
        if (response.status === 429) {
          waitMs = retryAfter !== null ? retryAfter * 1000 + Math.random() * RETRY_AFTER_JITTER_MS : backoffMs(attempt);
          if (waitMs > this.maxRetryWaitMs) waitMs = null;
        } else if (RETRIED_STATUSES.has(response.status) && idempotent) {
          waitMs = retryAfter !== null ? Math.min(retryAfter * 1000, this.maxRetryWaitMs) : backoffMs(attempt);
        }
        if (waitMs !== null) {
          await sleep(waitMs, options.signal);
          continue;
        }
      }
      const parsed = parseBody(response, text);
      const errorBody: ErrorBody | null =
        parsed && typeof parsed === 'object'
          ? (parsed as ErrorBody)
          : typeof parsed === 'string'
            ? { error: parsed }
            : null;
      throw errorFor({ status: response.status, body: errorBody, requestId, headers: response.headers, retryAfter });
    }
  }
}

/** The most telling part of a fetch failure: undici puts the socket's error (ECONNREFUSED...) in `cause`. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  return error instanceof Error ? (cause?.message ?? error.message) : String(error);
}

/** AbortSignal.any where available (Node 20, current browsers), else a manual merge. */
function anySignal(signals: AbortSignal[]): AbortSignal {
  const any = (AbortSignal as unknown as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
