/** What an error answer's JSON body may carry (the contract's error shapes). */
export interface ErrorBody {
  error?: string;
  reason?: string;
  details?: { field: string; message: string }[];
  required_scopes?: string[];
  window?: string;
  reset_at?: string;
  rate_limit_info?: Record<string, { limit: number; remaining: number; reset_at: string }>;
  [field: string]: unknown;
}

export interface ErrorInit {
  status: number | null;
  body?: ErrorBody | null;
  requestId?: string | null;
  headers?: Headers | null;
  message?: string;
  reason?: string | null;
  cause?: unknown;
}

/** Base of every error the SDK throws: the HTTP status (null without an answer), the API's `error` and `reason`, the request id. */
export class TuneTrailError extends Error {
  readonly status: number | null;
  /** The API's `error` string (`"Not found"`, `"Invalid API key"`, ...). */
  readonly error: string;
  /** The API's `reason` (`malformed`, `missing_scope`, `plan`, ...), or null. */
  readonly reason: string | null;
  /** The `x-request-id` of the answer (or the one this client sent), to quote to support. */
  readonly requestId: string | null;
  /** The parsed error body, as the API sent it. */
  readonly body: ErrorBody | null;
  readonly headers: Headers | null;

  constructor(init: ErrorInit) {
    const error = init.body?.error ?? init.message ?? `HTTP ${init.status ?? 'error'}`;
    const reason = init.reason ?? (typeof init.body?.reason === 'string' ? init.body.reason : null);
    super(init.message ?? (reason ? `${error} (${reason})` : error), { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.error = error;
    this.reason = reason;
    this.requestId = init.requestId ?? null;
    this.body = init.body ?? null;
    this.headers = init.headers ?? null;
  }
}

/** Any answer the API refused that has no more specific class (415, 422, 5xx...). */
export class APIError extends TuneTrailError {}

/** 400: validation failed; `details` lists each field and what is wrong with it. */
export class ValidationError extends APIError {
  get details(): { field: string; message: string }[] {
    return this.body?.details ?? [];
  }
}

/** 401: missing, malformed, unknown, expired, revoked or inactive key (see `reason`), or a bad JWT. */
export class AuthenticationError extends APIError {}

/** 403: the key lacks a scope (`reason: "missing_scope"`), the plan lacks the feature (`"plan"`), or the IP is not allowed. */
export class PermissionDeniedError extends APIError {
  get requiredScopes(): string[] {
    return this.body?.required_scopes ?? [];
  }
}

/** 404: not found, or owned by another account. */
export class NotFoundError extends APIError {}

/** 409: e.g. email taken, reactivating a revoked key. */
export class ConflictError extends APIError {}

/** 429: a rate-limit window is full; `retryAfter` seconds until it resets. Thrown once the retries are used up. */
export class RateLimitError extends APIError {
  /** Whole seconds until the window resets (`Retry-After`), or null when the answer had none. */
  readonly retryAfter: number | null;

  constructor(init: ErrorInit & { retryAfter: number | null }) {
    super(init);
    this.retryAfter = init.retryAfter;
  }

  /** The full window: `minute`, `hour` or `day`. */
  get window(): string | null {
    return this.body?.window ?? null;
  }

  get resetAt(): string | null {
    return this.body?.reset_at ?? null;
  }
}

/** No answer: connection refused or reset, DNS failure, or the timeout passed (`timedOut`). */
export class APIConnectionError extends TuneTrailError {
  readonly timedOut: boolean;

  constructor(init: ErrorInit & { timedOut?: boolean }) {
    super(init);
    this.timedOut = init.timedOut ?? false;
  }
}

const BY_STATUS: Record<number, new (init: ErrorInit) => APIError> = {
  400: ValidationError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
};

/** The typed error for an error answer. */
export function errorFor(init: ErrorInit & { status: number; retryAfter: number | null }): APIError {
  if (init.status === 429) return new RateLimitError(init);
  const ErrorClass = BY_STATUS[init.status] ?? APIError;
  return new ErrorClass(init);
}
