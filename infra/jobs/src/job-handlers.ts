import { invalidArgument } from '@strata/shared-kernel';
import type { JobDefinition, RunningJob } from './job-port.ts';

/**
 * Thrown for a job that can never succeed (its payload does not fit, nobody handles its name):
 * the adapters fail it at once instead of spending its retries.
 */
export class JobCannotRun extends Error {
  override name = 'JobCannotRun';
  readonly reason: 'job-payload-invalid' | 'job-name-unknown';

  constructor(message: string, reason: JobCannotRun['reason']) {
    super(message);
    this.reason = reason;
  }
}

/** The handlers of one scheduler by job name; parses the payload before a handler sees it. */
export class JobHandlers {
  // Each definition's payload type differs; `run` re-checks it with the definition's own schema.
  readonly #definitions = new Map<string, JobDefinition<unknown>>();

  define<Payload>(name: string, definition: JobDefinition<Payload>): void {
    if (this.#definitions.has(name)) throw new Error(`job '${name}' already has a handler`);
    this.#definitions.set(name, definition as JobDefinition<unknown>);
  }

  async run(job: RunningJob, payload: unknown): Promise<void> {
    const definition = this.#definitions.get(job.name);
    if (definition === undefined) {
      throw new JobCannotRun(`no handler for job '${job.name}' (job ${job.id})`, 'job-name-unknown');
    }
    const parsed = definition.payload.safeParse(payload);
    if (!parsed.success) {
      const refusal = invalidArgument(parsed.error, `payload of job '${job.name}' (job ${job.id})`);
      throw new JobCannotRun(refusal.message, 'job-payload-invalid');
    }
    await definition.handle(parsed.data, job);
  }
}
