import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { newId } from '@strata/shared-kernel';
import type { Jobs } from '@strata/jobs';
import { eventually, JobRecorder } from './job-recorder.ts';

/** How one adapter's tests reach its store. */
export interface JobPortHarness {
  /** A new scheduler on the shared store, as another process (or the same one restarted) would have. */
  open(options: { backoffMs?: number }): Promise<Jobs>;
  /** How many of these jobs the store still holds (rows, Redis job hashes, completed sets). */
  stored(ids: string[]): Promise<number>;
  /** Before each test: an empty queue, so one test's jobs and failures never count in another's. */
  reset(): Promise<void>;
  tearDown(): Promise<void>;
}

const EXPIRE = 'order.expire';

/** The job port's promises, held by each adapter against its real store. */
export function describeJobPort(adapter: string, harness: () => JobPortHarness): void {
  describe(`the job port on ${adapter}`, () => {
    const store = harness();
    const opened: Jobs[] = [];

    async function scheduler(recorder: JobRecorder, options: { backoffMs?: number; start?: boolean } = {}) {
      const jobs = await store.open(options);
      opened.push(jobs);
      jobs.define(EXPIRE, recorder.definition());
      if (options.start !== false) await jobs.start();
      return jobs;
    }

    const drained = async (jobs: Jobs) => {
      const stats = await jobs.stats();
      return stats.waiting + stats.delayed + stats.active === 0;
    };

    beforeEach(() => store.reset());
    afterEach(async () => {
      for (const jobs of opened.splice(0)) await jobs.close();
    });
    afterAll(() => store.tearDown());

    it('fires a delayed job with its parsed payload, then forgets it', async () => {
      const recorder = new JobRecorder();
      const jobs = await scheduler(recorder);
      // The job's time is this or later: the scheduler reads its clock after.
      const due = Date.now() + 300;
      const id = await jobs.schedule({
        name: EXPIRE,
        id: `expiry.${newId()}`,
        payload: { orderId: 'o-1' },
        delayMs: 300,
      });
      const { delayed } = await jobs.stats();
      const statsReadBy = Date.now();
      // Read before its time, the job counts as delayed; a loop stalled past its time finds it due.
      expect(statsReadBy < due ? delayed : 1).toBe(1);
      await eventually('the job ran', () => recorder.runs.length === 1);
      expect(recorder.runs[0]).toMatchObject({ id, name: EXPIRE, attempt: 1, payload: { orderId: 'o-1' } });
      expect(recorder.runs[0]!.startedAt).toBeGreaterThanOrEqual(due);
      await eventually('the job is removed', async () => (await store.stored([id])) === 0);
    });

    it('runs a job scheduled twice under one id once', async () => {
      const recorder = new JobRecorder();
      const jobs = await scheduler(recorder);
      const id = `expiry.${newId()}`;
      await jobs.schedule({ name: EXPIRE, id, payload: { orderId: 'first' }, delayMs: 200 });
      await jobs.schedule({ name: EXPIRE, id, payload: { orderId: 'second' }, delayMs: 200 });
      await eventually(
        'the job ran and nothing is left',
        async () => recorder.runs.length > 0 && (await drained(jobs)),
      );
      expect(recorder.runs.map((run) => run.payload.orderId)).toEqual(['first']);
    });

    it('runs each deadline once when two instances schedule and work the same jobs', async () => {
      const recorder = new JobRecorder();
      const instances = [await scheduler(recorder), await scheduler(recorder)];
      const ids = Array.from({ length: 20 }, (_, index) => `expiry.${index}.${newId()}`);
      for (const id of ids) {
        for (const jobs of instances)
          await jobs.schedule({ name: EXPIRE, id, payload: { orderId: id }, delayMs: 100 });
      }
      await eventually(
        'every deadline fired',
        async () => new Set(recorder.runs.map((run) => run.id)).size === ids.length,
      );
      await eventually(
        'both queues drained',
        async () => (await drained(instances[0]!)) && (await drained(instances[1]!)),
      );
      expect(recorder.runs).toHaveLength(ids.length);
      await eventually('no done job is left in the store', async () => (await store.stored(ids)) === 0);
    });

    it('retries a failing job with exponential backoff until it succeeds', async () => {
      const recorder = new JobRecorder();
      recorder.failFirst = 2;
      const backoffMs = 100;
      const jobs = await scheduler(recorder, { backoffMs });
      const id = await jobs.schedule({
        name: EXPIRE,
        id: `retry.${newId()}`,
        payload: { orderId: 'o-3' },
        attempts: 3,
      });
      await eventually('the third attempt ran', () => recorder.runsOf(id).length === 3);
      await eventually('the job is removed', async () => (await store.stored([id])) === 0);
      const runs = recorder.runsOf(id);
      expect(runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
      // A lower bound, not a speed check: a retry is never due before its backoff (1×, then 2×).
      expect(runs[1]!.startedAt - runs[0]!.startedAt).toBeGreaterThanOrEqual(backoffMs);
      expect(runs[2]!.startedAt - runs[1]!.startedAt).toBeGreaterThanOrEqual(2 * backoffMs);
      expect(await jobs.failures()).toEqual([]);
    });

    it('fires a job scheduled before a restart after it', async () => {
      const before = await store.open({});
      const id = await before.schedule({
        name: EXPIRE,
        id: `restart.${newId()}`,
        payload: { orderId: 'o-4' },
        delayMs: 400,
      });
      await before.close();
      const recorder = new JobRecorder();
      await scheduler(recorder);
      await eventually('the job ran after the restart', () => recorder.runsOf(id).length === 1);
    });

    it('fails a job whose payload does not fit at once, naming the field, and keeps working', async () => {
      const recorder = new JobRecorder();
      const jobs = await scheduler(recorder);
      const bad = await jobs.schedule({
        name: EXPIRE,
        id: `bad.${newId()}`,
        payload: { orderId: 42 },
        attempts: 3,
      });
      const good = await jobs.schedule({ name: EXPIRE, payload: { orderId: 'o-5' } });
      await eventually('the bad job failed', async () =>
        (await jobs.failures()).some((failure) => failure.id === bad),
      );
      await eventually('the good job ran', () => recorder.runsOf(good).length === 1);
      const [failure] = (await jobs.failures()).filter((candidate) => candidate.id === bad);
      expect(failure).toMatchObject({ id: bad, name: EXPIRE, attempts: 1 });
      expect(failure!.error).toMatch(/job-payload-invalid/);
      expect(failure!.error).toMatch(
        /payload of job 'order\.expire' .* is invalid: orderId: Invalid input: expected string, received number/,
      );
      expect(recorder.runsOf(bad)).toEqual([]);
    });

    it('shows operators the depth of the queue and the last failures, and cancels what has not run', async () => {
      const recorder = new JobRecorder();
      recorder.failFirst = 5;
      const jobs = await scheduler(recorder, { backoffMs: 10 });
      const later = [`later.a.${newId()}`, `later.b.${newId()}`];
      for (const id of later)
        await jobs.schedule({ name: EXPIRE, id, payload: { orderId: id }, delayMs: 3_600_000 });
      const failing = await jobs.schedule({
        name: EXPIRE,
        id: `failing.${newId()}`,
        payload: { orderId: 'o-6' },
        attempts: 2,
      });
      await eventually('the failing job failed for good', async () => (await jobs.stats()).failed === 1);
      expect(await jobs.stats()).toEqual({ waiting: 0, delayed: 2, active: 0, failed: 1 });
      expect(await jobs.failures(5)).toEqual([
        expect.objectContaining({
          id: failing,
          name: EXPIRE,
          attempts: 2,
          error: 'payment provider unreachable (attempt 2)',
        }),
      ]);
      expect(await jobs.cancel(later[0]!)).toBe(true);
      expect(await jobs.cancel(later[0]!)).toBe(false);
      expect((await jobs.stats()).delayed).toBe(1);
      expect(await store.stored([later[0]!])).toBe(0);
      await jobs.cancel(later[1]!);
    });

    it('runs a recurring job again and again until it is cancelled', async () => {
      const recorder = new JobRecorder();
      const jobs = await scheduler(recorder);
      const id = `sweep.${newId()}`;
      await jobs.repeat(id, { name: EXPIRE, payload: { orderId: 'sweep' }, recurrence: { everyMs: 150 } });
      await jobs.repeat(id, { name: EXPIRE, payload: { orderId: 'sweep' }, recurrence: { everyMs: 150 } });
      await eventually('it ran three times', () => recorder.runs.length >= 3);
      expect(recorder.runs.every((run) => run.payload.orderId === 'sweep')).toBe(true);
      expect(await jobs.cancel(id)).toBe(true);
    });
  });
}
