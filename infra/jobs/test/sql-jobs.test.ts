import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { stackEndpoints } from '@strata/dev-stack';
import { SqlJobs } from '@strata/jobs';
import { databaseNameFor, openDatabase, type Database } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { describeJobPort, type JobPortHarness } from './support/job-port-behaviour.ts';
import { eventually, JobRecorder } from './support/job-recorder.ts';

type SqlHarness = JobPortHarness & { database(): Promise<Database> };

/** Each scheduler gets its own connection (pool or SQLite handle), as a second process would. */
function sqlHarness(config: () => Promise<unknown>, dropStore: () => Promise<void>): SqlHarness {
  const databases: Database[] = [];
  const open = async () => {
    const database = await openDatabase(await config(), { entities: [] });
    databases.push(database);
    return database;
  };
  const first = async () => databases[0] ?? (await open());
  return {
    database: first,
    async open({ backoffMs }) {
      return new SqlJobs({
        database: await open(),
        pollMs: 50,
        concurrency: 4,
        retry: { attempts: 3, backoffMs: backoffMs ?? 50 },
      });
    },
    async reset() {
      await (await first()).em().execute('delete from strata_jobs', [], 'run');
    },
    async stored(ids) {
      const rows = await (
        await first()
      )
        .em()
        .execute<{ n: number }[]>(
          `select count(*) as n from strata_jobs where id in (${ids.map(() => '?').join(', ')})`,
          ids,
        );
      return Number(rows[0]?.n ?? 0);
    },
    async tearDown() {
      for (const database of databases) await database.close();
      await dropStore();
    },
  };
}

function mariadb(): SqlHarness {
  const { mysql } = stackEndpoints();
  const service = `t_jobs_${newId().replaceAll('-', '').slice(-12)}`;
  return sqlHarness(
    async () => ({ kind: 'mysql', service, ...mysql, poolSize: 4, migrateOnStart: true }),
    async () => {
      const connection = await createConnection({ ...mysql });
      await connection.query(`drop database if exists \`${databaseNameFor(service)}\``);
      await connection.end();
    },
  );
}

function sqlite(): SqlHarness {
  let directory: string | undefined;
  return sqlHarness(
    async () => {
      directory ??= await mkdtemp(join(tmpdir(), 'strata-jobs-'));
      return { kind: 'sqlite', service: 'jobs', file: join(directory, 'jobs.sqlite'), migrateOnStart: true };
    },
    async () => {
      if (directory !== undefined) await rm(directory, { recursive: true, force: true });
    },
  );
}

describeJobPort('MariaDB (strata_jobs)', mariadb);
describeJobPort('SQLite (strata_jobs)', sqlite);

for (const [dialect, harness] of [
  ['MariaDB', mariadb],
  ['SQLite', sqlite],
] as const) {
  describe(`the SQL job adapter on ${dialect}`, () => {
    const store = harness();
    afterAll(() => store.tearDown());

    it('runs again a job whose claimant died, once its lease has run out', async () => {
      await store.reset();
      const scheduler = await store.open({});
      const id = await scheduler.schedule({ name: 'order.expire', payload: { orderId: 'o-crash' } });
      await scheduler.close();
      // What a process that claimed the job and died mid-run leaves behind.
      await (
        await store.database()
      )
        .em()
        .execute(
          "update strata_jobs set claim = 'claimant-that-died', lease_until = ?, attempts = 1 where id = ?",
          [Date.now() + 300, id],
          'run',
        );
      const recorder = new JobRecorder();
      const survivor = await store.open({});
      survivor.define('order.expire', recorder.definition());
      await survivor.start();
      try {
        await eventually('the survivor ran the job', () => recorder.runsOf(id).length === 1);
        expect(recorder.runsOf(id)[0]).toMatchObject({ attempt: 2, payload: { orderId: 'o-crash' } });
        await eventually('the job is removed', async () => (await store.stored([id])) === 0);
      } finally {
        await survivor.close();
      }
    });
  });
}
