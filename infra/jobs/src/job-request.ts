import { newId } from '@strata/shared-kernel';
import type { JobRequest } from './job-port.ts';

/** Retry policy when a request or scheduler says nothing else: 3 runs, 1 s, 2 s apart. */
export interface RetryPolicy {
  attempts: number;
  /** The first retry's delay; each further retry waits twice as long as the one before. */
  backoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 3, backoffMs: 1_000 };

/** The delay before retry number `attemptsMade` (1 = the first retry): BullMQ's exponential backoff. */
export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return Math.round(2 ** (attemptsMade - 1) * backoffMs);
}

// BullMQ refuses ids with ':' and bare integers; both adapters take the same ids so code moves between modes.
export function checkedJobId(id: string | undefined): string {
  if (id === undefined) return newId();
  if (id.length === 0 || id.length > 200) throw new Error(`job id must be 1 to 200 characters: '${id}'`);
  if (id.includes(':')) throw new Error(`job id must not contain ':': '${id}'`);
  if (/^\d+$/.test(id)) throw new Error(`job id must not be a bare number: '${id}'`);
  return id;
}

/** Milliseconds from `now` until the request is due (0 for now or the past). */
export function delayOf(request: JobRequest, now: number): number {
  if (request.at !== undefined && request.delayMs !== undefined) {
    throw new Error(`job '${request.name}': give 'at' or 'delayMs', not both`);
  }
  const due = request.at !== undefined ? request.at.getTime() : now + (request.delayMs ?? 0);
  return Math.max(0, due - now);
}

export function checkedAttempts(request: JobRequest, policy: RetryPolicy): number {
  const attempts = request.attempts ?? policy.attempts;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new Error(`job '${request.name}': attempts must be a whole number ≥ 1, got ${attempts}`);
  }
  return attempts;
}
