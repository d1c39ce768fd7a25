/**
 * `reply`, or a rejection once `timeoutMs` have passed without it. node-redis' own command timeout
 * only covers the wait to be written to the socket, not the wait for the reply, so a hung server
 * needs this bound. The rejection waits for the event loop's I/O phase (setImmediate): a reply that
 * arrived while this process was stalled (GC, a busy CPU) is read first, so only a late Redis counts.
 */
export async function withReplyTimeout<T>(reply: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const expire = () => reject(new Error(`Redis did not answer within ${timeoutMs} ms`));
    timer = setTimeout(() => setImmediate(expire), timeoutMs);
  });
  try {
    return await Promise.race([reply, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
