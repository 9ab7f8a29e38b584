import type { Jobs } from '@strata/jobs';
import { Gauge, type Registry } from 'prom-client';
import { sourcesOf } from './process-metrics.ts';

/**
 * `strata_job_queue_jobs{service, state}`: a service's job queue by state (waiting, delayed, active,
 * failed), read through the Jobs port at scrape time, so BullMQ (distributed) and the SQL table
 * (embedded) report alike. `failed` counts the jobs that failed for good and are still kept
 * (BullMQ's `removeOnFail` bound): its increase is what an alert on job failures watches.
 */
export function meterJobQueue(service: string, jobs: Jobs, registry: Registry): void {
  sourcesOf<Jobs>(
    registry,
    'strata_job_queue_jobs',
    (queues) =>
      new Gauge({
        name: 'strata_job_queue_jobs',
        help: "Jobs in a service's queue, by state: waiting, delayed, active, failed (for good)",
        labelNames: ['service', 'state'],
        registers: [registry],
        async collect() {
          await Promise.all(
            [...queues].map(async ([name, queue]) => {
              const stats = await queue.stats().catch(() => undefined);
              if (stats === undefined) return;
              for (const [state, count] of Object.entries(stats)) this.set({ service: name, state }, count);
            }),
          );
        },
      }),
  ).set(service, jobs);
}
