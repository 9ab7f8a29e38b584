import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import type { RpcHandler, RpcRequest } from '../../src/protocol.ts';

export function request(overrides: Partial<RpcRequest> = {}): RpcRequest {
  return {
    service: 'commerce-service',
    method: 'Course.publish',
    payload: { courseId: 'c-1' },
    metadata: { correlationId: 'corr-1' },
    ...overrides,
  };
}

/** A handler that answers with what it received, so a test can see what crossed the wire. */
export const echoHandler: RpcHandler = async (received) => ({
  ok: true,
  result: { payload: received.payload, metadata: received.metadata, method: received.method },
});

/** A promise with its resolve function outside, to hold handlers until a test releases them. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Waits until a condition holds, checking every 5 ms; fails with `what` after 20 s of time (it was
 * 2,000 tries 5 ms apart, ~10 s here, and CI is slower), under jest's 30 s for a test.
 */
export async function until(condition: () => boolean, what: string): Promise<void> {
  await waitFor(what, condition, { timeoutMs: 20_000, everyMs: 5 });
}

/** Resolves with the handler's abort reason once its signal fires. */
export function abortedWith(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
  });
}
