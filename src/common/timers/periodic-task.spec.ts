import { PeriodicTask } from './periodic-task';

const INTERVAL_MS = 1000;

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs every interval, skipping a tick while a run is in flight', async () => {
    let runs = 0;
    let finish: () => void = () => undefined;
    const task = new PeriodicTask(
      () => new Promise<void>((resolve) => ((runs += 1), (finish = resolve))),
      () => undefined,
    );
    task.start(INTERVAL_MS);
    jest.advanceTimersByTime(INTERVAL_MS);
    jest.advanceTimersByTime(INTERVAL_MS);
    expect(runs).toBe(1);
    finish();
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(INTERVAL_MS);
    expect(runs).toBe(2);
    finish();
    await task.stop();
  });

  it('hands a failure to onError and keeps running', async () => {
    const failure = new Error('database unreachable');
    const errors: Error[] = [];
    const task = new PeriodicTask(
      () => Promise.reject(failure),
      (error) => errors.push(error),
    );
    await task.runNow();
    await task.runNow();
    expect(errors).toEqual([failure, failure]);
  });

  it('waits on stop for the run in flight, and runs no more', async () => {
    let runs = 0;
    let finished = false;
    let finish: () => void = () => undefined;
    const task = new PeriodicTask(
      () => new Promise<void>((resolve) => ((runs += 1), (finish = () => ((finished = true), resolve())))),
      () => undefined,
    );
    task.start(INTERVAL_MS);
    jest.advanceTimersByTime(INTERVAL_MS);
    const stopped = task.stop();
    finish();
    await stopped;
    expect(finished).toBe(true);
    jest.advanceTimersByTime(INTERVAL_MS * 3);
    expect(runs).toBe(1);
  });
});
