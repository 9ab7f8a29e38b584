/**
 * What the admin API reads of a data service's job queue: the two operator calls of the job port
 * (`@strata/jobs`), nothing that changes a queue. Typed here by shape, so the gateway does not
 * depend on the job library; `BullMqJobs` and `SqlJobs` fit.
 */
export interface JobQueueView {
  stats(): Promise<unknown>;
  failures(limit?: number): Promise<unknown[]>;
}

/** Failures shown per queue: the newest, enough to see a pattern, small enough to read. */
export const FAILURES_SHOWN = 20;

export type JobQueueReport = { stats: unknown; failures: unknown[] } | { unavailable: string };

/**
 * `GET /jobs`: every data service's queue depth and latest failures, by service name. A queue
 * whose store does not answer says so in its place; the others are still shown.
 */
export async function jobQueuesReport(
  queues: Readonly<Record<string, JobQueueView>>,
): Promise<Record<string, JobQueueReport>> {
  const entries = await Promise.all(
    Object.entries(queues).map(async ([service, queue]): Promise<[string, JobQueueReport]> => {
      try {
        return [service, { stats: await queue.stats(), failures: await queue.failures(FAILURES_SHOWN) }];
      } catch (error) {
        return [service, { unavailable: (error as Error).message }];
      }
    }),
  );
  return Object.fromEntries(entries);
}
