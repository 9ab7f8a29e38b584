export { BullMqJobs, type BullMqJobsOptions } from './bullmq-jobs.ts';
export { JobCannotRun } from './job-handlers.ts';
export type {
  JobDefinition,
  JobFailure,
  JobQueueStats,
  JobRequest,
  Jobs,
  Recurrence,
  RecurringJobRequest,
  RunningJob,
} from './job-port.ts';
export { defaultRetryPolicy, type RetryPolicy } from './job-request.ts';
export { jobQueuePrefix } from './queue-prefix.ts';
export { SqlJobs, type SqlJobsOptions } from './sql-jobs.ts';
export { HOUSEKEEPING_JOB, scheduleHousekeeping, type HousekeepingJobOptions } from './housekeeping-jobs.ts';
