import { deleteExpiredRows, type Database } from '@strata/persistence';
import { z } from '@strata/shared-kernel';
import type { Jobs, Recurrence } from './job-port.ts';

export const HOUSEKEEPING_JOB = 'strata.housekeeping';

export interface HousekeepingJobOptions {
  /** Sent outbox rows and handled inbox rows older than this go (longer than any redelivery). */
  retainHandledMs: number;
  /** Default: every hour. */
  recurrence?: Recurrence;
}

/**
 * Purges the data service's spent rows (expired idempotency keys, sent outbox rows and inbox rows
 * past retention) as a recurring job on its own queue. Call it on every instance before
 * `jobs.start()`: the recurring job is one per queue, so one instance runs each purge.
 */
export async function scheduleHousekeeping(
  jobs: Jobs,
  database: Database,
  options: HousekeepingJobOptions,
): Promise<void> {
  jobs.define(HOUSEKEEPING_JOB, {
    payload: z.object({ retainHandledMs: z.number().int().positive() }),
    handle: async ({ retainHandledMs }) => {
      await deleteExpiredRows(database, { retainHandledMs });
    },
  });
  await jobs.repeat('strata-housekeeping', {
    name: HOUSEKEEPING_JOB,
    payload: { retainHandledMs: options.retainHandledMs },
    recurrence: options.recurrence ?? { everyMs: 3_600_000 },
  });
}
