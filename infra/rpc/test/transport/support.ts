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

/** Waits until a condition holds, checking once per event-loop turn; fails with `what` if it never does. */
export async function until(condition: () => boolean, what: string, attempts = 2_000): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`gave up waiting until ${what}`);
}

/** Resolves with the handler's abort reason once its signal fires. */
export function abortedWith(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
  });
}
