import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { stackEndpoints } from '@strata/dev-stack';
import { SqlJobs } from '@strata/jobs';
import { databaseNameFor, openDatabase, type Database } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { describeJobPort, type JobPortHarness } from './support/job-port-behaviour.ts';

/** Each scheduler gets its own connection (pool or SQLite handle), as a second process would. */
function sqlHarness(config: () => Promise<unknown>, dropStore: () => Promise<void>): JobPortHarness {
  const databases: Database[] = [];
  const open = async () => {
    const database = await openDatabase(await config(), { entities: [] });
    databases.push(database);
    return database;
  };
  return {
    async open({ backoffMs }) {
      return new SqlJobs({
        database: await open(),
        pollMs: 50,
        concurrency: 4,
        retry: { attempts: 3, backoffMs: backoffMs ?? 50 },
      });
    },
    async reset() {
      await (databases[0] ?? (await open())).em().execute('delete from strata_jobs', [], 'run');
    },
    async stored(ids) {
      const database = databases[0] ?? (await open());
      const rows = await database
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

const { mysql } = stackEndpoints();
const service = `t_jobs_${newId().replaceAll('-', '').slice(-12)}`;

describeJobPort('MariaDB (strata_jobs)', () =>
  sqlHarness(
    async () => ({ kind: 'mysql', service, ...mysql, poolSize: 4, migrateOnStart: true }),
    async () => {
      const connection = await createConnection({ ...mysql });
      await connection.query(`drop database if exists \`${databaseNameFor(service)}\``);
      await connection.end();
    },
  ),
);

let directory: string | undefined;

describeJobPort('SQLite (strata_jobs)', () =>
  sqlHarness(
    async () => {
      directory ??= await mkdtemp(join(tmpdir(), 'strata-jobs-'));
      return { kind: 'sqlite', service: 'jobs', file: join(directory, 'jobs.sqlite'), migrateOnStart: true };
    },
    async () => {
      if (directory !== undefined) await rm(directory, { recursive: true, force: true });
    },
  ),
);
