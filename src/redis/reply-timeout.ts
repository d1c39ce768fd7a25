/**
 * `reply`, or a rejection once `timeoutMs` have passed without it. node-redis' own command timeout
 * only covers the wait to be written to the socket, not the wait for the reply, so a hung server
 * needs this bound. The rejection waits for the event loop's I/O phase (setImmediate): a reply that
 * arrived while this process was stalled (GC, a busy CPU) is read first, so only a late Redis counts.
 */
export async function withReplyTimeout<T>(reply: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const expire = () => reject(replyTimeoutError(timeoutMs));
    timer = setTimeout(() => setImmediate(expire), timeoutMs);
  });
  try {
    return await Promise.race([reply, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const replyTimeoutError = (timeoutMs: number): Error => new Error(`Redis did not answer within ${timeoutMs} ms`);

interface Waiting {
  deadline: number;
  settled: boolean;
  reject: (error: Error) => void;
}

/**
 * {@link withReplyTimeout} for the request path, where every request waits for a reply: one timer
 * for all replies in flight instead of a timer, a race and two promises per reply. The timeout is
 * the same for all, so deadlines come in the order replies were asked for, and the timer only
 * ever looks at the oldest ones.
 */
export class ReplyDeadlines {
  private waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly timeoutMs: number) {}

  bound<T>(reply: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { deadline: Date.now() + this.timeoutMs, settled: false, reject };
      this.waiting.push(waiting);
      reply.then(
        (value) => {
          waiting.settled = true;
          resolve(value);
        },
        (error: Error) => {
          waiting.settled = true;
          reject(error);
        },
      );
      this.timer ??= setTimeout(this.expire, this.timeoutMs).unref();
    });
  }

  private readonly expire = (): void => {
    const now = Date.now();
    let first = 0;
    for (; first < this.waiting.length; first++) {
      const waiting = this.waiting[first];
      if (waiting.settled) continue;
      if (waiting.deadline > now) break;
      // As in withReplyTimeout: a reply that arrived while this process was stalled is read first.
      setImmediate(() => {
        if (waiting.settled) return;
        waiting.settled = true;
        waiting.reject(replyTimeoutError(this.timeoutMs));
      });
    }
    this.waiting = first === this.waiting.length ? [] : this.waiting.slice(first);
    this.timer =
      this.waiting.length === 0 ? undefined : setTimeout(this.expire, this.waiting[0].deadline - now).unref();
  };

  /** Stops the timer; replies still awaited are no longer bounded. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = [];
  }
}
