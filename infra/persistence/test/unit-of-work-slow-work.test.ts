import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type MikroOrmUnitOfWork, openDatabase, type Database } from '@strata/persistence';
import { DomainError } from '@strata/shared-kernel';
import { setTimeout as sleep } from 'node:timers/promises';
import { Account, accountSchema, accountUnitOfWork, CreateAccountTable } from './support/account.ts';
import { dropDatabase, mysqlConfig, uniqueService } from './support/databases.ts';

const at = new Date('2026-03-01T10:00:00.000Z');

// A command's own work can be slow on purpose (identity hashes a password with scrypt). It runs
// before the transaction opens, so it must not hold the pool's connection while it thinks.
describe('the unit of work while a command is still thinking', () => {
  const service = uniqueService('uow_slow');
  let database: Database;
  let uow: MikroOrmUnitOfWork;

  beforeAll(async () => {
    // One connection: a command that held it while thinking would stop every other command.
    database = await openDatabase(mysqlConfig(service, { poolSize: 1 }), {
      entities: [accountSchema],
      migrations: [CreateAccountTable],
    });
    uow = accountUnitOfWork(database);
  });

  afterAll(async () => {
    await database.close();
    await dropDatabase(service);
  });

  it('holds no pooled connection, and a change made meanwhile wins over the slow one', async () => {
    const id = await uow.run(async (scope) => {
      const account = Account.open('ada', at);
      scope.repository<Account>('Account').add(account);
      return account.id;
    });
    let release!: () => void;
    const thinking = new Promise<void>((resolve) => (release = resolve));
    let loaded!: () => void;
    const hasLoaded = new Promise<void>((resolve) => (loaded = resolve));

    const slow = uow.run(async (scope) => {
      const account = (await scope.repository<Account>('Account').findById(id))!;
      account.deposit(100, at);
      loaded();
      await thinking;
    });
    await hasLoaded;
    const quick = uow.run(async (scope) => {
      (await scope.repository<Account>('Account').findById(id))!.deposit(5, at);
      return 'committed';
    });
    const first = await Promise.race([quick, sleep(15_000).then(() => 'still waiting for a connection')]);
    release();
    const slowOutcome = await slow.then(
      () => 'committed',
      (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
    );

    expect(first).toBe('committed');
    expect(slowOutcome).toBe('aggregate-version-conflict');
    const [row] = await database
      .em()
      .execute<{ balance: number; version: number }[]>('select balance, version from account where id = ?', [
        id,
      ]);
    expect({ balance: Number(row?.balance), version: Number(row?.version) }).toEqual({
      balance: 5,
      version: 2,
    });
  }, 60_000);
});
