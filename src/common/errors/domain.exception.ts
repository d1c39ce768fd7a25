import { ERROR_DEFINITIONS, ErrorCode } from './error-code.enum';

export interface DomainExceptionOptions {
  /** Replaces the code's default `error` text (e.g. a specific 409 reason). */
  message?: string;
  /** Extra body fields beside `error` (e.g. `reason`, `required_scopes`, `details`). */
  extra?: Record<string, unknown>;
  /** Response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
}

/**
 * A failure the API answers on purpose. Thrown anywhere (services, guards, strategies);
 * {@link AllExceptionsFilter} turns it into the contract's status and body.
 */
export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly options: DomainExceptionOptions = {},
  ) {
    super(options.message ?? ERROR_DEFINITIONS[code].message);
    this.name = DomainException.name;
  }

  get status(): number {
    return ERROR_DEFINITIONS[this.code].status;
  }

  body(): Record<string, unknown> {
    return { error: this.message, ...this.options.extra };
  }
}

export interface ValidationDetail {
  field: string;
  message: string;
}

/** At most this many `details` entries: a body with 60,000 bad keys must not answer megabytes. */
export const MAX_VALIDATION_DETAILS = 50;

export const validationFailed = (details: ValidationDetail[]): DomainException =>
  new DomainException(ErrorCode.ValidationFailed, { extra: { details: details.slice(0, MAX_VALIDATION_DETAILS) } });

export const notFound = (): DomainException => new DomainException(ErrorCode.NotFound);
