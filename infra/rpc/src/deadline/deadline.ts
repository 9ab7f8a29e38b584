import { RpcError } from '@strata/shared-kernel';
import type { RpcResponse } from '../protocol.ts';

/**
 * A call's deadline is an epoch-millisecond instant carried with the request across hops. This
 * module is where the arithmetic on it and the DEADLINE_EXCEEDED answers live, so every layer
 * (client, governance, transports, server runtime) says the same thing the same way.
 */

/** setTimeout fires at once for delays past 2^31-1 ms; longer deadlines are clamped to this. */
export const MAX_TIMER_MS = 0x7fff_ffff;

export function remainingMs(deadline: number, now: number = Date.now()): number {
  return deadline - now;
}

/** A timer's delay for `remaining` milliseconds: never negative, never past what setTimeout takes. */
export function timerDelay(remaining: number): number {
  return Math.min(Math.max(remaining, 0), MAX_TIMER_MS);
}

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

/** The reason a handler's signal carries when its call's deadline passes. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

export function deadlineExceededMessage(service: string, method: string): string {
  return `deadline of ${service} ${method} passed before it was answered`;
}

/** The DEADLINE_EXCEEDED answer of a call; `deadline` goes into the details when the caller knows it. */
export function deadlineExceeded(
  service: string,
  method: string,
  deadline?: number,
): Extract<RpcResponse, { ok: false }> {
  const message = deadlineExceededMessage(service, method);
  return {
    ok: false,
    error:
      deadline === undefined
        ? { code: 'DEADLINE_EXCEEDED', message }
        : { code: 'DEADLINE_EXCEEDED', message, details: { deadline } },
  };
}

/**
 * DEADLINE_EXCEEDED thrown where a call is abandoned: its deadline passed or its caller went
 * away (cancelled, disconnected), and either way nobody waits for the answer any more.
 */
export function abandonedCall(service: string, method: string, cause?: unknown): RpcError {
  return new RpcError(
    'DEADLINE_EXCEEDED',
    `${service} ${method} was abandoned: its deadline passed or its caller went away`,
    cause === undefined ? undefined : { cause },
  );
}
