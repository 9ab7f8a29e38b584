import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { openDatabase, SqlOutboxStore, type Database } from '@strata/persistence';
import { Account, accountSchema, accountUnitOfWork, CreateAccountTable } from './support/account.ts';
import { dropDatabase, mysqlConfig, uniqueService } from './support/databases.ts';

jest.setTimeout(30_000);

const at = new Date('2026-03-01T10:00:00.000Z');

describe("the relay's outbox reads and marks on MariaDB", () => {
  const service = uniqueService('outbox_conn');
  let database: Database;

  beforeAll(async () => {
    // One pooled connection: a command holding it leaves the service's pool empty.
    database = await openDatabase(mysqlConfig(service, { poolSize: 1 }), {
      entities: [accountSchema],
      migrations: [CreateAccountTable],
    });
  });

  afterAll(async () => {
    await database.close();
    await dropDatabase(service);
  });

  it("do not wait for a connection of the service's pool", async () => {
    const uow = accountUnitOfWork(database);
    const id = await uow.run(async (scope) => {
      const account = Account.open('ada', at);
      scope.repository<Account>('Account').add(account);
      return account.id;
    });
    let releaseCommand!: () => void;
    const commandHeld = new Promise<void>((resolve) => (releaseCommand = resolve));
    let commandHoldsConnection!: () => void;
    const holding = new Promise<void>((resolve) => (commandHoldsConnection = resolve));
    // A transaction on the pool's only connection until the test lets it commit.
    const command = database.em().transactional(async (em) => {
      await em.execute('select 1');
      commandHoldsConnection();
      await commandHeld;
    });
    await holding;
    const store = new SqlOutboxStore(database);
    try {
      const rows = await store.fetchUnsent(10);
      expect(rows.map((row) => row.envelope.aggregateId)).toEqual([id]);
      await store.markSent(rows.map((row) => row.sequence));
      expect(await store.fetchUnsent(10)).toEqual([]);
    } finally {
      releaseCommand();
      await command;
      await store.close();
    }
    expect(await store.backlog()).toEqual({ unsent: 0, oldestCreatedAtMs: null });
  });
});
