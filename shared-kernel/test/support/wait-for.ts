import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

// The one "poll until it holds" of the test suites (ADR 0064), published as
// `@strata/shared-kernel/test-support/wait-for`: a subpath of its own, because the rest of the test
// support imports jest, and a test's child process (a plain node, no jest) may need to wait too.
// Plain timer code: no jest, no infrastructure.

export interface WaitForOptions<T> {
  /**
   * How long to keep trying, in milliseconds of wall-clock time. It bounds a hung run; it asserts
   * nothing about speed. A bound in time, not in tries: a loaded machine runs fewer tries in the
   * same time, and an attempt count runs out early or late there. Default 10 s.
   */
  timeoutMs?: number;
  /** The pause between two tries. Default 50 ms. */
  everyMs?: number;
  /** Says when a value is the one awaited; by default any value but `undefined` and `false`. */
  done?: (value: T) => boolean;
  /**
   * A try that throws counts as "not yet", and the wait goes on; the last error is in the failure.
   * By default an error fails the wait at once, as it would fail the test.
   */
  retryErrors?: boolean;
  /** Read once, when the wait fails, and added to the message: what an operator would look at next. */
  detail?: () => string;
}

type NotYet = undefined | false;

/**
 * Tries `probe` until its value is the one awaited, and resolves with that value; once `timeoutMs`
 * has passed (checked between tries, a try that never settles is not cut), rejects with an error
 * naming what was awaited, for how long, and the last value or error seen.
 *
 * `probe` may be a condition (`() => boolean`), a lookup (`() => T | undefined`) or, with `done`,
 * any question whose answer is judged (`ask`, `done: (answer) => answer.status === 200`).
 */
export function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  options: WaitForOptions<T> & { done: (value: T) => boolean },
): Promise<T>;
export function waitFor<T>(
  what: string,
  probe: () => T | NotYet | Promise<T | NotYet>,
  options?: WaitForOptions<T | NotYet>,
): Promise<T>;
export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  { timeoutMs = 10_000, everyMs = 50, done = awaited, retryErrors = false, detail }: WaitForOptions<T> = {},
): Promise<T> {
  const started = Date.now();
  let tries = 0;
  let last: { value: T } | { error: unknown };
  for (;;) {
    tries += 1;
    try {
      const value = await probe();
      if (done(value)) return value;
      last = { value };
    } catch (error) {
      if (!retryErrors) throw error;
      last = { error };
    }
    const left = started + timeoutMs - Date.now();
    if (left <= 0) {
      const seen = 'error' in last ? `the error ${describeError(last.error)}` : show(last.value);
      const more = detail === undefined ? '' : `; ${detail()}`;
      throw new Error(
        `waited ${timeoutMs} ms for ${what} (${tries} ${tries === 1 ? 'try' : 'tries'}, every ${everyMs} ms); last seen: ${seen}${more}`,
      );
    }
    await sleep(Math.min(everyMs, left));
  }
}

function awaited(value: unknown): boolean {
  return value !== undefined && value !== false;
}

function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 500 });
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : show(error);
}
