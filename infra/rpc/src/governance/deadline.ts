import { failure, type FailedResponse } from './failure.ts';

/**
 * The deadline for a call made while serving another: never later than the incoming one, so
 * a chain of hops cannot outlive the first caller's patience. Both are epoch milliseconds.
 */
export function outgoingDeadline(
  incoming: number | undefined,
  defaultTimeoutMs: number,
  now: number = Date.now(),
): number {
  const own = now + defaultTimeoutMs;
  return incoming === undefined ? own : Math.min(incoming, own);
}

export function remainingMs(deadline: number, now: number = Date.now()): number {
  return deadline - now;
}

export function deadlineExceeded(service: string, method: string, deadline: number): FailedResponse {
  return failure(
    'DEADLINE_EXCEEDED',
    `${service} ${method}: deadline ${new Date(deadline).toISOString()} passed before an answer`,
    {
      deadline,
    },
  );
}
