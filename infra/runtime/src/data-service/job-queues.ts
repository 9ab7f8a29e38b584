import { BullMqJobs, jobQueuePrefix, type HousekeepingJobOptions } from '@strata/jobs';
import type { RuntimeLogger } from '@strata/rpc';
import { z } from '@strata/shared-kernel';

/** A data service's queue on Redis: one queue per service, under its deployment's prefix. */
export function redisJobQueue(options: {
  redisUrl: string;
  deployment: string | undefined;
  service: string;
  logger: Pick<RuntimeLogger, 'warn'>;
}): BullMqJobs {
  return new BullMqJobs({
    redisUrl: options.redisUrl,
    prefix: jobQueuePrefix(options.deployment),
    queue: options.service,
    onError: (error) => options.logger.warn({ err: error }, `job queue ${options.service}: ${error.message}`),
  });
}

/** Spread into a process's environment schema wherever data services run (either mode). */
export const housekeepingEnvShape = {
  /** Sent outbox rows and handled inbox rows are kept this long (longer than any redelivery). */
  STRATA_HOUSEKEEPING_RETAIN_HOURS: z.coerce.number().int().min(1).max(8_760).default(168),
  /** How often each data service purges its spent rows (one instance per service does it). */
  STRATA_HOUSEKEEPING_EVERY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3_600),
};

export function housekeepingOf(env: {
  STRATA_HOUSEKEEPING_RETAIN_HOURS: number;
  STRATA_HOUSEKEEPING_EVERY_SECONDS: number;
}): HousekeepingJobOptions {
  return {
    retainHandledMs: env.STRATA_HOUSEKEEPING_RETAIN_HOURS * 3_600_000,
    recurrence: { everyMs: env.STRATA_HOUSEKEEPING_EVERY_SECONDS * 1_000 },
  };
}
