import { Queue, Worker } from 'bullmq';
import { BullMqJobs, defaultRetryPolicy } from '@strata/jobs';
import { z } from '@strata/shared-kernel';

/** What every job carries and every handler checks, through the port or not. */
export const expiryPayload = z.object({ orderId: z.string().min(1), deadline: z.number().int() });
export type ExpiryPayload = z.infer<typeof expiryPayload>;

export interface PeerSetup {
  redisUrl: string;
  prefix: string;
  queue: string;
  concurrency: number;
}

/** One way of scheduling delayed jobs and running them: started, fed, closed by the bench. */
export interface JobPeer {
  schedule(id: string, payload: ExpiryPayload, delayMs: number): Promise<void>;
  close(): Promise<void>;
}

export type FiredListener = (id: string) => void;

/** Our job port on its BullMQ adapter, as a data service would use it. */
export async function startPort(setup: PeerSetup, fired: FiredListener): Promise<JobPeer> {
  const jobs = new BullMqJobs({ ...setup, retry: defaultRetryPolicy });
  jobs.define('order.expire', {
    payload: expiryPayload,
    handle: async (_payload, job) => fired(job.id),
  });
  await jobs.start();
  return {
    schedule: async (id, payload, delayMs) => {
      await jobs.schedule({ name: 'order.expire', id, payload, delayMs });
    },
    close: () => jobs.close(),
  };
}

/**
 * BullMQ used directly with the options the port sets (attempts, exponential backoff, removal bounds,
 * events stream length) and a processor that parses the payload with the same schema, so the ratio
 * is what the port adds and not what validation or retention cost.
 */
export async function startRawBullMq(setup: PeerSetup, fired: FiredListener): Promise<JobPeer> {
  const connection = { url: setup.redisUrl, maxRetriesPerRequest: null };
  const queue = new Queue(setup.queue, {
    connection,
    prefix: setup.prefix,
    streams: { events: { maxLen: 1_000 } },
  });
  const worker = new Worker(
    setup.queue,
    async (job) => {
      expiryPayload.parse(job.data);
      fired(String(job.id));
    },
    { connection, prefix: setup.prefix, concurrency: setup.concurrency },
  );
  await worker.waitUntilReady();
  return {
    schedule: async (id, payload, delayMs) => {
      await queue.add('order.expire', payload, {
        jobId: id,
        delay: delayMs,
        attempts: defaultRetryPolicy.attempts,
        backoff: { type: 'exponential', delay: defaultRetryPolicy.backoffMs },
        removeOnComplete: true,
        removeOnFail: { count: 1_000, age: 7 * 24 * 3_600 },
      });
    },
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
