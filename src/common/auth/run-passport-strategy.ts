import passport, { Strategy } from 'passport';

/**
 * Runs one passport strategy INSTANCE on a request: the authenticated value, `false` when the
 * strategy found no credential, a rejection with the strategy's error otherwise. Passport's
 * name registry is process-wide, so looking a strategy up by name would let a second application in
 * the same process (tests, two instances) answer with the other's state. Passport attaches the
 * request's success/fail callbacks to the strategy object it is given, so each request gets its own
 * object on top of the instance; sharing one let concurrent requests take each other's results.
 */
export function runPassportStrategy<T>(strategy: Strategy, request: object): Promise<T | false> {
  return new Promise((resolve, reject) => {
    const authenticate = passport.authenticate(
      Object.create(strategy) as Strategy,
      { session: false },
      (error: unknown, value: T | false) => (error ? reject(error) : resolve(value || false)),
    );
    authenticate(request, {}, reject);
  });
}
