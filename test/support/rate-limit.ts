/**
 * Waits for the next minute when fewer than `marginMs` are left in this one, so a test that counts
 * requests inside one minute window is not split by a window edge.
 */
export async function awaitRoomInMinute(marginMs = 10_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** Whole seconds until the current minute ends, as `Retry-After` / `RateLimit` `t` state it. */
export const secondsLeftInMinute = (): number => Math.ceil((60_000 - (Date.now() % 60_000)) / 1000);
