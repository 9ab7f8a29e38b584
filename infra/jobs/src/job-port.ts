import type { z } from '@strata/shared-kernel';

/** What a handler is told about the job it runs. `attempt` counts from 1. */
export interface RunningJob {
  id: string;
  name: string;
  attempt: number;
}

/**
 * A job name's handler. The payload arrives as stored JSON and is parsed with `payload` before
 * `handle` sees it: a payload that does not fit fails the job at once (no retry) with the field
 * path and reason, it never reaches the handler and never crashes the worker.
 */
export interface JobDefinition<Payload> {
  payload: z.ZodType<Payload>;
  handle(payload: Payload, job: RunningJob): Promise<void>;
}

export interface JobRequest {
  name: string;
  /** JSON: it is stored (Redis or SQL) and parsed again by the handler's schema. */
  payload: unknown;
  /**
   * Deduplicates: while a job with this id is waiting, delayed, running or failed, scheduling the same
   * id again is a no-op (the first payload and time stand). Name it after the deadline it stands for
   * (`order-expiry.<orderId>`). Text without `:`, not a bare number. A fresh id when omitted.
   */
  id?: string;
  /** When to run: `at` or `delayMs` (from now); neither means now. */
  at?: Date;
  delayMs?: number;
  /** Runs before the job counts as failed; the scheduler's default when omitted. */
  attempts?: number;
}

/** Every `everyMs` milliseconds, or on a five- or six-field cron pattern (`0 3 * * *`, UTC). */
export type Recurrence = { everyMs: number } | { cron: string };

export interface RecurringJobRequest {
  name: string;
  payload: unknown;
  recurrence: Recurrence;
}

/** Queue depth for operators: due and not started, not yet due, running, failed for good. */
export interface JobQueueStats {
  waiting: number;
  delayed: number;
  active: number;
  failed: number;
}

export interface JobFailure {
  id: string;
  name: string;
  attempts: number;
  error: string;
  failedAt: Date;
}

/**
 * Delayed, deduplicated and recurring jobs. Adapters: BullMQ on Redis (distributed) and a SQL table
 * (embedded). Define handlers before `start()`; an instance that never starts only schedules.
 * A job runs at least once and, while its handler finishes within the lease, exactly once across
 * instances; handlers still check that the domain has not moved on (the order is already paid).
 */
export interface Jobs {
  define<Payload>(name: string, definition: JobDefinition<Payload>): void;
  /** Answers the job's id. (BullMQ does not say whether the id was new, so neither adapter does.) */
  schedule(request: JobRequest): Promise<string>;
  /** Removes a job that has not started (or a recurring job); false when there was none to remove. */
  cancel(id: string): Promise<boolean>;
  /** Creates or replaces the recurring job `id`; every instance may call it, one schedule results. */
  repeat(id: string, request: RecurringJobRequest): Promise<void>;
  start(): Promise<void>;
  stats(): Promise<JobQueueStats>;
  /** The latest jobs that failed for good (attempts used up or payload refused), newest first. */
  failures(limit?: number): Promise<JobFailure[]>;
  /** Stops taking jobs, waits for running handlers, releases connections. */
  close(): Promise<void>;
}
