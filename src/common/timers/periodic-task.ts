/**
 * Background work run every `intervalMs`, one run at a time (a tick that finds a run in flight is
 * skipped), its failures handed to `onError` rather than thrown, and `stop` waiting for the run in flight.
 * The timer never keeps the process alive.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: Error) => void,
  ) {}

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.runNow(), intervalMs).unref();
  }

  /** One run now, or the one already in flight. */
  runNow(): Promise<void> {
    this.running ??= this.work()
      .then(
        () => undefined,
        (error: Error) => this.onError(error),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
