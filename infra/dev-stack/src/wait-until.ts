import { setTimeout as sleep } from 'node:timers/promises';
import type { Progress } from './progress.ts';

export interface WaitOptions {
  what: string;
  timeoutMs: number;
  progress: Progress;
  /** Checked between attempts: stops the wait early when the thing waited for can no longer come. */
  abortIf?: () => string | undefined;
}

const attemptIntervalMs = 1000;
const progressEveryMs = 10_000;

/**
 * Retries `attempt` until it resolves, printing a line every ten seconds so a slow first start
 * (Kafka formatting its log, etcd electing itself) does not look like a hang.
 */
export async function waitUntil<T>(attempt: () => Promise<T>, options: WaitOptions): Promise<T> {
  const started = Date.now();
  let nextProgress = started + progressEveryMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      lastError = error;
    }
    const aborted = options.abortIf?.();
    if (aborted !== undefined) throw new Error(aborted);
    const elapsed = Date.now() - started;
    if (elapsed >= options.timeoutMs) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(
        `${options.what} did not happen within ${Math.round(options.timeoutMs / 1000)}s (last error: ${reason})`,
      );
    }
    if (Date.now() >= nextProgress) {
      options.progress(
        `still waiting for ${options.what} (${Math.round(elapsed / 1000)}s of ${Math.round(options.timeoutMs / 1000)}s)`,
      );
      nextProgress += progressEveryMs;
    }
    await sleep(attemptIntervalMs);
  }
}

/** Rejects when `promise` takes longer than `ms`: some clients retry forever on a closed port. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const controller = new AbortController();
  try {
    return await Promise.race([
      promise,
      sleep(ms, undefined, { signal: controller.signal }).then(() => {
        throw new Error(`${what} did not answer within ${ms}ms`);
      }),
    ]);
  } finally {
    controller.abort();
  }
}
