import { setTimeout as sleep } from 'node:timers/promises';

export interface UntilOptions {
  timeoutMs?: number;
  everyMs?: number;
  /** What to add to the failure, read when it fails (what a client received, say). */
  detail?: () => string;
}

/** Polls `check` until it holds; past the timeout, fails saying what it waited for. */
export async function until(
  check: () => boolean,
  what: string,
  { timeoutMs = 10_000, everyMs = 5, detail }: UntilOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${what}${detail === undefined ? '' : `; ${detail()}`}`);
    await sleep(everyMs);
  }
}
