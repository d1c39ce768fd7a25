import type { Strategy } from 'passport';

/** The actions a passport strategy calls on itself while it authenticates a request. */
interface StrategyAttempt<T> {
  authenticate(request: object, options: object): void;
  success(user: T): void;
  fail(): void;
  error(error: Error): void;
  pass(): void;
  redirect(): void;
}

/**
 * Runs one passport strategy INSTANCE's own `authenticate` on a request: the authenticated value,
 * `false` when the strategy found no valid credential, a rejection with the strategy's error otherwise.
 * Passport's middleware is not involved: it looks strategies up in a process-wide registry (two
 * applications in one process would borrow each other's) and costs far more per request. The actions
 * go on an object of the request's own on top of the instance, so concurrent requests never share them.
 */
export function runPassportStrategy<T>(strategy: Strategy, request: object): Promise<T | false> {
  return new Promise((resolve, reject) => {
    const attempt = Object.create(strategy) as StrategyAttempt<T>;
    attempt.success = (user) => resolve(user);
    attempt.fail = () => resolve(false);
    attempt.pass = () => resolve(false);
    attempt.redirect = () => resolve(false);
    attempt.error = (error) => reject(error);
    attempt.authenticate(request, {});
  });
}
