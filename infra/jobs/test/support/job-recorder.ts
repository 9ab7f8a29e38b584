import { z } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import type { JobDefinition, RunningJob } from '@strata/jobs';

export const expiryPayload = z.object({ orderId: z.string().min(1) });
export type ExpiryPayload = z.infer<typeof expiryPayload>;

export interface RecordedRun extends RunningJob {
  payload: ExpiryPayload;
  startedAt: number;
}

/** A handler that records every run; `failFirst` runs throw, to exercise retries. */
export class JobRecorder {
  readonly runs: RecordedRun[] = [];
  failFirst = 0;

  definition(): JobDefinition<ExpiryPayload> {
    return {
      payload: expiryPayload,
      handle: async (payload, job) => {
        this.runs.push({ ...job, payload, startedAt: Date.now() });
        if (this.runs.filter((run) => run.id === job.id).length <= this.failFirst) {
          throw new Error(`payment provider unreachable (attempt ${job.attempt})`);
        }
      },
    };
  }

  runsOf(id: string): RecordedRun[] {
    return this.runs.filter((run) => run.id === id);
  }
}

/**
 * Polls until `check` holds, failing with `what` after 20 s of time: these suites' bound (it was 400
 * tries 25 ms apart, ~10 s here, and CI is slower), under jest's 30 s for a test.
 */
export async function eventually(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  await waitFor(what, check, { timeoutMs: 20_000, everyMs: 25 });
}
