// The BullMQ adapter alone, for a process that only reads queues (the gateway's admin API) and
// should not load the SQL adapter's ORM with it.
export { BullMqJobs, type BullMqJobsOptions } from './bullmq-jobs.ts';
export { jobQueuePrefix } from './queue-prefix.ts';
