import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { JobCannotRun, JobHandlers } from './job-handlers.ts';
import type {
  JobDefinition,
  JobFailure,
  JobQueueStats,
  JobRequest,
  Jobs,
  RecurringJobRequest,
} from './job-port.ts';
import {
  checkedAttempts,
  checkedJobId,
  defaultRetryPolicy,
  delayOf,
  type RetryPolicy,
} from './job-request.ts';

export interface BullMqJobsOptions {
  redisUrl: string;
  /** Namespaces every Redis key: one per deployment (`strata-<deployment>`), one per test run. */
  prefix: string;
  /** One queue per data service: its handlers act on its own database. */
  queue: string;
  /** Handlers running at once in this instance; default 4 (jobs wait on I/O, not CPU). */
  concurrency?: number;
  retry?: RetryPolicy;
  /** Failed jobs kept for operators (the newest); older ones are dropped. Default 1000. */
  keepFailed?: number;
  /** Where worker and connection errors go (a lost Redis connection is retried by BullMQ). */
  onError?: (error: Error) => void;
}

// The events stream is BullMQ's only other growing key; nothing of ours reads it, so keep it short.
const EVENTS_KEPT = 1_000;
const FAILED_MAX_AGE_SECONDS = 7 * 24 * 3_600;

/**
 * The job port on BullMQ: delay for deadlines, jobId for deduplication, attempts with exponential
 * backoff, completed jobs removed at once and failed ones bounded, so Redis holds only pending work
 * and the last failures. Any number of instances may share the queue; each job runs on one of them.
 */
export class BullMqJobs implements Jobs {
  readonly #options: BullMqJobsOptions;
  readonly #retry: RetryPolicy;
  readonly #handlers = new JobHandlers();
  readonly #queue: Queue;
  #worker: Worker | undefined;

  constructor(options: BullMqJobsOptions) {
    this.#options = options;
    this.#retry = options.retry ?? defaultRetryPolicy;
    this.#queue = new Queue(options.queue, {
      connection: this.#connection(),
      prefix: options.prefix,
      streams: { events: { maxLen: EVENTS_KEPT } },
    });
    this.#queue.on('error', this.#reportError);
  }

  define<Payload>(name: string, definition: JobDefinition<Payload>): void {
    if (this.#worker !== undefined) throw new Error(`define job '${name}' before start()`);
    this.#handlers.define(name, definition);
  }

  async schedule(request: JobRequest): Promise<string> {
    const id = checkedJobId(request.id);
    const options: JobsOptions = {
      ...this.#jobOptions(checkedAttempts(request, this.#retry)),
      jobId: id,
      delay: delayOf(request, Date.now()),
    };
    await this.#queue.add(request.name, request.payload, options);
    return id;
  }

  async cancel(id: string): Promise<boolean> {
    const jobId = checkedJobId(id);
    if (await this.#queue.removeJobScheduler(jobId)) return true;
    // `remove` answers 1 for an id it does not know as well; only an existing job counts as cancelled.
    const job = await this.#queue.getJob(jobId);
    return job !== undefined && (await this.#queue.remove(jobId)) === 1;
  }

  async repeat(id: string, request: RecurringJobRequest): Promise<void> {
    const recurrence =
      'everyMs' in request.recurrence
        ? { every: request.recurrence.everyMs }
        : { pattern: request.recurrence.cron, tz: 'UTC' };
    await this.#queue.upsertJobScheduler(checkedJobId(id), recurrence, {
      name: request.name,
      data: request.payload,
      opts: this.#jobOptions(this.#retry.attempts),
    });
  }

  async start(): Promise<void> {
    if (this.#worker !== undefined) return;
    this.#worker = new Worker(this.#options.queue, (job) => this.#process(job), {
      connection: this.#connection(),
      prefix: this.#options.prefix,
      concurrency: this.#options.concurrency ?? 4,
    });
    this.#worker.on('error', this.#reportError);
    await this.#worker.waitUntilReady();
  }

  async stats(): Promise<JobQueueStats> {
    const counts = await this.#queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed');
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      delayed: counts.delayed ?? 0,
      active: counts.active ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  async failures(limit = 20): Promise<JobFailure[]> {
    const jobs = await this.#queue.getFailed(0, limit - 1);
    return jobs.map((job) => ({
      id: String(job.id),
      name: job.name,
      attempts: job.attemptsMade,
      error: job.failedReason,
      failedAt: new Date(job.finishedOn ?? job.timestamp),
    }));
  }

  async close(): Promise<void> {
    await this.#worker?.close();
    await this.#queue.close();
  }

  async #process(job: Job): Promise<void> {
    try {
      await this.#handlers.run(
        { id: String(job.id), name: job.name, attempt: job.attemptsMade + 1 },
        job.data,
      );
    } catch (error) {
      // BullMQ fails an UnrecoverableError at once, whatever attempts are left.
      if (error instanceof JobCannotRun) throw new UnrecoverableError(`${error.reason}: ${error.message}`);
      throw error;
    }
  }

  #jobOptions(attempts: number): JobsOptions {
    return {
      attempts,
      backoff: { type: 'exponential', delay: this.#retry.backoffMs },
      removeOnComplete: true,
      removeOnFail: { count: this.#options.keepFailed ?? 1_000, age: FAILED_MAX_AGE_SECONDS },
    };
  }

  // Workers block on Redis and must never give up a command; BullMQ asks for this setting.
  #connection() {
    return { url: this.#options.redisUrl, maxRetriesPerRequest: null };
  }

  readonly #reportError = (error: Error): void => {
    (this.#options.onError ?? ((reported) => console.error('[jobs]', reported)))(error);
  };
}
