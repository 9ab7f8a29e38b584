import type { Database } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { JobCannotRun, JobHandlers } from './job-handlers.ts';
import type {
  JobDefinition,
  JobFailure,
  JobQueueStats,
  JobRequest,
  Jobs,
  Recurrence,
  RecurringJobRequest,
} from './job-port.ts';
import {
  backoffDelay,
  checkedAttempts,
  checkedJobId,
  defaultRetryPolicy,
  delayOf,
  type RetryPolicy,
} from './job-request.ts';
import { nextRun } from './recurrence.ts';
import { SqlJobTable, type ClaimedJobRow } from './sql-job-table.ts';

export interface SqlJobsOptions {
  database: Database;
  /** How often the table is asked for due jobs; a job runs at most this late. Default 250 ms. */
  pollMs?: number;
  /** Handlers running at once in this process; default 4. */
  concurrency?: number;
  /**
   * How long a claim holds. A poller that crashed (or a handler that hangs) past it loses the job
   * to another; keep it well above the slowest handler. Default 5 minutes.
   */
  leaseMs?: number;
  retry?: RetryPolicy;
  /** Failed jobs kept for operators (the newest). Default 1000. */
  keepFailed?: number;
  onError?: (error: unknown) => void;
}

/**
 * The job port on the data service's own database (embedded mode needs no Redis): a `strata_jobs`
 * row per job, polled by a timer. Whatever is due when it starts runs first, so a job scheduled
 * before a restart fires after it. A done job's row is deleted.
 */
export class SqlJobs implements Jobs {
  readonly #table: SqlJobTable;
  readonly #handlers = new JobHandlers();
  readonly #retry: RetryPolicy;
  readonly #pollMs: number;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #keepFailed: number;
  readonly #onError: (error: unknown) => void;
  readonly #running = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #started = false;
  #closing = false;

  constructor(options: SqlJobsOptions) {
    this.#table = new SqlJobTable(options.database);
    this.#retry = options.retry ?? defaultRetryPolicy;
    this.#pollMs = options.pollMs ?? 250;
    this.#concurrency = options.concurrency ?? 4;
    this.#leaseMs = options.leaseMs ?? 5 * 60_000;
    this.#keepFailed = options.keepFailed ?? 1_000;
    this.#onError = options.onError ?? ((error) => console.error('[jobs]', error));
  }

  define<Payload>(name: string, definition: JobDefinition<Payload>): void {
    if (this.#started) throw new Error(`define job '${name}' before start()`);
    this.#handlers.define(name, definition);
  }

  async schedule(request: JobRequest): Promise<string> {
    const id = checkedJobId(request.id);
    const now = Date.now();
    await this.#table.insert(
      {
        id,
        name: request.name,
        payload: JSON.stringify(request.payload ?? null),
        runAt: now + delayOf(request, now),
        maxAttempts: checkedAttempts(request, this.#retry),
        backoffMs: this.#retry.backoffMs,
        repeatEveryMs: null,
        repeatCron: null,
      },
      now,
    );
    return id;
  }

  async cancel(id: string): Promise<boolean> {
    return this.#table.cancel(checkedJobId(id), Date.now());
  }

  async repeat(id: string, request: RecurringJobRequest): Promise<void> {
    const now = Date.now();
    const { recurrence } = request;
    await this.#table.upsertRecurring(
      {
        id: checkedJobId(id),
        name: request.name,
        payload: JSON.stringify(request.payload ?? null),
        runAt: nextRun(recurrence, now),
        maxAttempts: this.#retry.attempts,
        backoffMs: this.#retry.backoffMs,
        repeatEveryMs: 'everyMs' in recurrence ? recurrence.everyMs : null,
        repeatCron: 'cron' in recurrence ? recurrence.cron : null,
      },
      now,
    );
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#polling = this.#poll().finally(() => (this.#polling = undefined));
    await this.#polling;
  }

  async stats(): Promise<JobQueueStats> {
    return this.#table.counts(Date.now());
  }

  async failures(limit = 20): Promise<JobFailure[]> {
    return this.#table.failures(limit);
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    // A poll under way may still claim a job; it must run here, not stay claimed until its lease ends.
    await this.#polling;
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /** One poll at a time: a wake-up during a poll only moves the next one. */
  #wake(delayMs: number): void {
    if (this.#closing) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (this.#polling === undefined)
        this.#polling = this.#poll().finally(() => (this.#polling = undefined));
    }, delayMs);
  }

  async #poll(): Promise<void> {
    let claimedAll = false;
    try {
      const free = this.#concurrency - this.#running.size;
      if (free > 0) {
        const now = Date.now();
        const ids = await this.#table.dueIds(now, free);
        for (const id of ids) {
          if (this.#closing) break;
          const claim = newId();
          const row = await this.#table.claim(id, claim, now, this.#leaseMs);
          if (row !== undefined) this.#track(this.#runClaimed(row, claim));
        }
        claimedAll = ids.length === free;
      }
    } catch (error) {
      this.#onError(error);
    }
    // A full batch means more may be due: look again at once rather than after a poll interval.
    this.#wake(claimedAll ? 0 : this.#pollMs);
  }

  #track(run: Promise<void>): void {
    const tracked = run.catch(this.#onError).finally(() => {
      this.#running.delete(tracked);
      // A slot came free in a full pool: due jobs may be waiting for it.
      if (this.#running.size === this.#concurrency - 1) this.#wake(0);
    });
    this.#running.add(tracked);
  }

  async #runClaimed(row: ClaimedJobRow, claim: string): Promise<void> {
    const recurrence: Recurrence | undefined =
      row.repeatEveryMs !== null
        ? { everyMs: row.repeatEveryMs }
        : row.repeatCron !== null
          ? { cron: row.repeatCron }
          : undefined;
    try {
      await this.#handlers.run(
        { id: row.id, name: row.name, attempt: row.attempts },
        JSON.parse(row.payload),
      );
    } catch (error) {
      await this.#failed(row, claim, recurrence, error);
      return;
    }
    const now = Date.now();
    if (recurrence === undefined) await this.#table.remove(row.id, claim);
    else await this.#table.reschedule(row.id, claim, nextRun(recurrence, now), now, { kind: 'done' });
  }

  async #failed(row: ClaimedJobRow, claim: string, recurrence: Recurrence | undefined, error: unknown) {
    const now = Date.now();
    const message =
      error instanceof JobCannotRun
        ? `${error.reason}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    const retry = !(error instanceof JobCannotRun) && row.attempts < row.maxAttempts;
    if (retry) {
      const runAt = now + backoffDelay(row.backoffMs, row.attempts);
      await this.#table.reschedule(row.id, claim, runAt, now, { kind: 'retry', error: message });
      return;
    }
    if (recurrence === undefined) {
      await this.#table.fail(row.id, claim, message, now);
    } else {
      const failedRun = {
        ...row,
        id: `${row.id}.failed.${now}`,
        runAt: now,
        repeatEveryMs: null,
        repeatCron: null,
      };
      await this.#table.recordFailure(failedRun, row.attempts, message, now);
      await this.#table.reschedule(row.id, claim, nextRun(recurrence, now), now, { kind: 'done' });
    }
    await this.#table.trimFailures(this.#keepFailed);
  }
}
