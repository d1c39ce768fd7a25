import { ReplyDeadlines } from './reply-timeout';

const later = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe(ReplyDeadlines.name, () => {
  let deadlines: ReplyDeadlines;

  beforeEach(() => (deadlines = new ReplyDeadlines(50)));
  afterEach(() => deadlines.close());

  it('passes on replies and errors that come in time', async () => {
    await expect(deadlines.bound(later(10, 'OK'))).resolves.toBe('OK');
    await expect(deadlines.bound(Promise.reject(new Error('NOSCRIPT')))).rejects.toThrow('NOSCRIPT');
  });

  it('fails each reply that has not come within the timeout, and only those', async () => {
    const never = new Promise<string>(() => undefined);
    const results = await Promise.allSettled([
      deadlines.bound(never),
      deadlines.bound(later(10, 'fast')),
      deadlines.bound(never),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('Redis did not answer within 50 ms'));
  });

  it('bounds replies asked for after earlier ones expired, each from its own start', async () => {
    const started = Date.now();
    await expect(deadlines.bound(new Promise(() => undefined))).rejects.toThrow('did not answer');
    const second = Date.now();
    await expect(deadlines.bound(new Promise(() => undefined))).rejects.toThrow('did not answer');
    expect(second - started).toBeGreaterThanOrEqual(49);
    expect(Date.now() - second).toBeGreaterThanOrEqual(49);
    await expect(deadlines.bound(later(20, 'late but in time'))).resolves.toBe('late but in time');
  });
});
