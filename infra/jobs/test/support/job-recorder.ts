import { z } from '@strata/shared-kernel';
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

/** Polls until `check` holds (at most `tries` × `everyMs`), failing with `what`. */
export async function eventually(
  what: string,
  check: () => Promise<boolean> | boolean,
  tries = 400,
  everyMs = 25,
) {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`still not true after ${tries} tries: ${what}`);
}
