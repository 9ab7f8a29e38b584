import { Redis } from 'ioredis';
import { stackEndpoints } from '@strata/dev-stack';
import { BullMqJobs } from '@strata/jobs';
import { newId } from '@strata/shared-kernel';
import { describeJobPort } from './support/job-port-behaviour.ts';

const { redisUrl } = stackEndpoints();
const prefix = `strata-test-jobs-${newId().slice(-12)}`;
const redis = new Redis(redisUrl);
let queue = '';

describeJobPort('BullMQ (Redis)', () => ({
  async open({ backoffMs }) {
    return new BullMqJobs({
      redisUrl,
      prefix,
      queue,
      concurrency: 4,
      retry: { attempts: 3, backoffMs: backoffMs ?? 50 },
    });
  },
  async reset() {
    queue = `commerce-${newId().slice(-8)}`;
  },
  // A job BullMQ still holds has a hash under its id; a completed one kept would sit in `completed`.
  async stored(ids) {
    const hashes = await Promise.all(ids.map((id) => redis.exists(`${prefix}:${queue}:${id}`)));
    const completed = await redis.zcard(`${prefix}:${queue}:completed`);
    return hashes.reduce((sum, exists) => sum + exists, 0) + completed;
  },
  async tearDown() {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  },
}));
