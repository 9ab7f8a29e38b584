import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOUSEKEEPING_JOB, scheduleHousekeeping, SqlJobs } from '@strata/jobs';
import { openDatabase, type Database } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { eventually } from './support/job-recorder.ts';

describe('the housekeeping job', () => {
  let directory: string;
  let database: Database;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'strata-housekeeping-job-'));
    database = await openDatabase(
      { kind: 'sqlite', service: 'housekeeping', file: join(directory, 'strata.db') },
      { entities: [] },
    );
  });
  afterAll(async () => {
    await database.close();
    await rm(directory, { recursive: true, force: true });
  });

  const count = async (sql: string) => Number((await database.em().execute<{ n: number }[]>(sql))[0]?.n);

  it('purges expired idempotency keys and sent outbox rows as a recurring job of the data service', async () => {
    const longAgo = Date.now() - 10 * 24 * 3_600_000;
    await database.em().execute(
      `insert into outbox (event_id, topic, event_type, aggregate_type, aggregate_id, aggregate_version,
         envelope, created_at, sent_at) values (?, 'strata.t', 'Ticked', 'Tick', 't-1', 1, '{}', ?, ?)`,
      [newId(), longAgo, longAgo],
      'run',
    );
    await database.em().execute(
      `insert into idempotency_keys (caller, idempotency_key, method, result, created_at, expires_at)
         values ('learner-api', 'k-1', 'Order.place', ?, ?, ?)`,
      [Buffer.from('ok'), longAgo, longAgo + 60_000],
      'run',
    );
    const jobs = new SqlJobs({ database, pollMs: 50 });
    try {
      await scheduleHousekeeping(jobs, database, {
        retainHandledMs: 24 * 3_600_000,
        recurrence: { everyMs: 100 },
      });
      await jobs.start();
      await eventually(
        'the spent rows are gone',
        async () =>
          (await count('select count(*) as n from outbox')) === 0 &&
          (await count('select count(*) as n from idempotency_keys')) === 0,
      );
      const [recurring] = await database
        .em()
        .execute<{ name: string }[]>("select name from strata_jobs where id = 'strata-housekeeping'");
      expect(recurring?.name).toBe(HOUSEKEEPING_JOB);
    } finally {
      await jobs.close();
    }
  });
});
