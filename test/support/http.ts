import type { Response } from 'supertest';
import type { ValidationDetail } from '../../src/common/errors/domain.exception';

/** supertest types every body as `any`: a test names the shape it expects (usually the route's response DTO). */
export const bodyOf = <T>(res: Response): T => res.body as T;

/** The contract's error body: `error` always, the other fields where the error has them. */
export interface ErrorBody {
  error: string;
  details?: ValidationDetail[];
  reason?: string;
  required_scopes?: string[];
  window?: string;
  reset_at?: string;
}

/** The body of an error response. */
export const errorOf = (res: Response): ErrorBody => bodyOf<ErrorBody>(res);
