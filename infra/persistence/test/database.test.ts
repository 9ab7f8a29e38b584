import { afterAll, describe, expect, it } from '@jest/globals';
import { createConnection } from 'mysql2/promise';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackEndpoints } from '@strata/dev-stack';
import { MySqlLeaderLock, databaseNameFor, openDatabase, parseDatabaseConfig } from '@strata/persistence';
import { Account, accountSchema, accountUnitOfWork, CreateAccountTable } from './support/account.ts';
import { dropDatabase, mysqlConfig, uniqueService } from './support/databases.ts';

const created: string[] = [];

afterAll(async () => {
  for (const service of created) await dropDatabase(service);
});

describe('database configuration', () => {
  it('names every offending field', () => {
    expect(() =>
      parseDatabaseConfig({
        kind: 'mysql',
        service: 'Bad Name',
        host: '',
        port: 70_000,
        user: 'root',
        password: '',
      }),
    ).toThrow(/service: a data service name.*host: .*port: /s);
    expect(() => parseDatabaseConfig({ kind: 'postgres' })).toThrow(/kind: /);
  });

  it('defaults the pool size and leaves migrations to the command unless asked', () => {
    const config = parseDatabaseConfig({
      kind: 'mysql',
      service: 'identity',
      host: 'db',
      port: 3306,
      user: 'root',
      password: '',
    });
    expect(config).toMatchObject({ poolSize: 10, migrateOnStart: false });
    expect(databaseNameFor('identity-service')).toBe('strata_identity_service');
  });
});

describe('a data service database on MariaDB', () => {
  it('creates its own schema, applies the migrations in order, then has none pending', async () => {
    const service = uniqueService('db');
    created.push(service);
    const database = await openDatabase(mysqlConfig(service, { poolSize: 3, migrateOnStart: false }), {
      entities: [accountSchema],
      migrations: [CreateAccountTable],
    });
    try {
      expect(database.orm.config.get('dbName')).toBe(databaseNameFor(service));
      expect(database.orm.config.get('pool')).toMatchObject({ max: 3 });
      expect(await database.migrate()).toEqual([
        'strata-0001-outbox',
        'strata-0002-inbox',
        'strata-0003-idempotency-keys',
        'strata-0004-jobs',
        'test-0001-account',
      ]);
      expect(await database.migrate()).toEqual([]);
      const tables = await database
        .em()
        .execute<{ name: string }[]>(
          'select table_name as name from information_schema.tables where table_schema = ? order by table_name',
          [databaseNameFor(service)],
        );
      expect(tables.map((table) => table.name)).toEqual([
        'account',
        'idempotency_keys',
        'inbox',
        'outbox',
        'strata_jobs',
        'strata_migrations',
      ]);
    } finally {
      await database.close();
    }
  });
});

describe('opening a data service database on MariaDB', () => {
  it('connects when opened: its schema exists before any query; out of reach, its first query fails instead', async () => {
    const service = uniqueService('open');
    created.push(service);
    const database = await openDatabase(mysqlConfig(service, { migrateOnStart: false }), {
      entities: [accountSchema],
    });
    const admin = await createConnection({ ...stackEndpoints().mysql });
    try {
      const [schemas] = await admin.query<{ name: string }[] & never[]>(
        'select schema_name as name from information_schema.schemata where schema_name = ?',
        [databaseNameFor(service)],
      );
      expect(schemas.map((schema) => schema.name)).toEqual([databaseNameFor(service)]);
    } finally {
      await admin.end();
      await database.close();
    }
    const refused = await openDatabase(
      mysqlConfig(uniqueService('refused'), { password: 'not-the-password', migrateOnStart: false }),
      { entities: [accountSchema] },
    );
    try {
      await expect(refused.em().execute('select 1')).rejects.toThrow(/Access denied/);
    } finally {
      await refused.close();
    }
  });
});

describe('an embedded database on node:sqlite', () => {
  const directory = mkdtempSync(join(tmpdir(), 'strata-sqlite-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('runs the same unit of work with outbox rows and version checks', async () => {
    const database = await openDatabase(
      { kind: 'sqlite', service: 'embedded', file: join(directory, 'strata.db') },
      { entities: [accountSchema] },
    );
    try {
      const uow = accountUnitOfWork(database, { idempotencyWindowMs: 1_000 });
      const at = new Date('2026-03-01T10:00:00Z');
      const id = await uow.run(async (scope) => {
        const account = Account.open('grace', at);
        scope.repository<Account>('Account').add(account);
        return account.id;
      });
      await uow.run(async (scope) =>
        (await scope.repository<Account>('Account').findById(id))!.deposit(4, at),
      );
      await expect(
        uow.run(async (scope) => {
          const stale = await scope.repository<Account>('Account').findById(id);
          // The work runs before the unit of work's transaction opens, so this update commits on
          // its own, as another writer's would between our read and our write.
          await scope.session.execute('update account set version = version + 1 where id = ?', [id], 'run');
          stale!.deposit(9, at);
        }),
      ).rejects.toMatchObject({ category: 'CONFLICT' });

      const rows = await database
        .em()
        .execute<{ event_type: string; aggregate_version: number }[]>(
          'select event_type, aggregate_version from outbox order by sequence',
        );
      expect(rows.map((row) => [row.event_type, Number(row.aggregate_version)])).toEqual([
        ['AccountOpened', 1],
        ['FundsDeposited', 2],
      ]);
      const [account] = await database
        .em()
        .execute<{ balance: number; version: number }[]>('select balance, version from account');
      // The other writer's version bump stands; the stale deposit of 9 does not.
      expect({ balance: Number(account?.balance), version: Number(account?.version) }).toEqual({
        balance: 4,
        version: 3,
      });
    } finally {
      await database.close();
    }
  });
});

describe('the relay leader lock on MariaDB GET_LOCK', () => {
  it('lets one holder in and hands over when the holder connection dies', async () => {
    const { mysql } = stackEndpoints();
    const service = uniqueService('lock');
    const first = new MySqlLeaderLock({ ...mysql, service });
    const second = new MySqlLeaderLock({ ...mysql, service });
    try {
      expect(await first.tryAcquire()).toBe(true);
      expect(await second.tryAcquire()).toBe(false);
      expect(await first.isHeld()).toBe(true);
      expect(await second.isHeld()).toBe(false);

      // Kill the holder's connection from outside, as a crashed process would lose it.
      const admin = await createConnection({ ...mysql });
      const [rows] = await admin.query<[{ id: number }] & never[]>('select is_used_lock(?) as id', [
        `${databaseNameFor(service)}.outbox-relay`,
      ]);
      await admin.query(`kill ${rows[0]!.id}`);
      await admin.end();

      expect(await first.isHeld()).toBe(false);
      expect(await second.tryAcquire()).toBe(true);
    } finally {
      await first.release();
      await second.release();
    }
  });
});
