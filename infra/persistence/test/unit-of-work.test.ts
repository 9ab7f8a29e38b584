import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { parseEnvelope } from '@strata/events';
import { MikroOrmUnitOfWork, deleteExpiredRows, type Database } from '@strata/persistence';
import { Account, accountEvents, accountStorage } from './support/account.ts';
import { dropDatabase, openAccounts, uniqueService } from './support/databases.ts';

const at = new Date('2026-03-01T10:00:00.000Z');

function unitOfWork(database: Database, now: () => number = Date.now): MikroOrmUnitOfWork {
  return new MikroOrmUnitOfWork({
    database,
    aggregates: { Account: accountStorage },
    events: accountEvents,
    idempotencyWindowMs: 60_000,
    cause: () => ({
      correlationId: 'corr-1',
      causationId: 'cmd-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    }),
    now,
  });
}

async function openAccount(uow: MikroOrmUnitOfWork, owner = 'ada'): Promise<string> {
  return uow.run(async (scope) => {
    const account = Account.open(owner, at);
    scope.repository<Account>('Account').add(account);
    return account.id;
  });
}

async function outboxRows(database: Database, aggregateId: string) {
  return database
    .em()
    .execute<{ event_type: string; aggregate_version: number; topic: string; envelope: string }[]>(
      'select event_type, aggregate_version, topic, envelope from outbox where aggregate_id = ? order by sequence',
      [aggregateId],
    );
}

async function balanceOf(database: Database, id: string): Promise<{ balance: number; version: number }> {
  const [row] = await database
    .em()
    .execute<{ balance: number; version: number }[]>('select balance, version from account where id = ?', [
      id,
    ]);
  return { balance: Number(row?.balance), version: Number(row?.version) };
}

describe('the MikroORM unit of work on MariaDB', () => {
  const service = uniqueService('uow');
  let database: Database;
  let second: Database;

  beforeAll(async () => {
    database = await openAccounts(service);
    second = await openAccounts(service);
  });

  afterAll(async () => {
    await database.close();
    await second.close();
    await dropDatabase(service);
  });

  it('saves an aggregate with private state through its record, and restores it from the record', async () => {
    const uow = unitOfWork(database);
    const id = await openAccount(uow);

    const loaded = await uow.run(async (scope) => scope.repository<Account>('Account').findById(id));

    expect(loaded).toBeInstanceOf(Account);
    expect(loaded?.toSnapshot()).toEqual({ id, owner: 'ada', balance: 0, version: 1 });
    expect(Object.keys(loaded as Account)).toEqual(['id']);
  });

  it('reads without tracking in a read-only run: nothing it does to a loaded aggregate is saved, and it cannot add one', async () => {
    const uow = unitOfWork(database);
    const id = await openAccount(uow);

    const balance = await uow.run(
      async (scope) => (await scope.repository<Account>('Account').findById(id))!.deposit(5, at),
      { readOnly: true },
    );

    expect(balance).toBe(5);
    expect(await balanceOf(database, id)).toEqual({ balance: 0, version: 1 });
    expect(await outboxRows(database, id)).toHaveLength(1);
    await expect(
      uow.run(async (scope) => scope.repository<Account>('Account').add(Account.open('bob', at)), {
        readOnly: true,
      }),
    ).rejects.toThrow(/a read-only unit of work cannot add Account/);
  });

  it('writes the aggregate and its events as outbox rows in one transaction, with a full envelope', async () => {
    const uow = unitOfWork(database);
    const id = await openAccount(uow);
    const balance = await uow.run(async (scope) => {
      const account = await scope.repository<Account>('Account').findById(id);
      return account!.deposit(5, at);
    });

    expect(balance).toBe(5);
    expect(await balanceOf(database, id)).toEqual({ balance: 5, version: 2 });
    const rows = await outboxRows(database, id);
    expect(rows.map((row) => [row.event_type, Number(row.aggregate_version), row.topic])).toEqual([
      ['AccountOpened', 1, 'strata.banking.events'],
      ['FundsDeposited', 2, 'strata.banking.events'],
    ]);
    const envelope = parseEnvelope(JSON.parse(rows[1]!.envelope), accountEvents.schema);
    expect(envelope).toMatchObject({
      type: 'FundsDeposited',
      schemaVersion: 1,
      aggregateType: 'Account',
      aggregateId: id,
      aggregateVersion: 2,
      occurredAt: at.toISOString(),
      correlationId: 'corr-1',
      causationId: 'cmd-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      payload: { amount: 5, balance: 5 },
    });
    expect(envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it("opens and then changes an aggregate in one handler's transaction, each command at its version", async () => {
    const uow = unitOfWork(database);
    // Three commands through one session (`within`), as an event handler runs them: each loads the
    // aggregate the one before wrote, at the version that one committed, although the session's
    // identity map still holds the record as the second command first loaded it.
    const id = await database.em().transactional(async (em) => {
      const opened = await uow.run(
        async (scope) => {
          const account = Account.open('ada', at);
          scope.repository<Account>('Account').add(account);
          return account.id;
        },
        { within: em },
      );
      await uow.run(
        async (scope) => (await scope.repository<Account>('Account').findById(opened))!.deposit(3, at),
        {
          within: em,
        },
      );
      await uow.run(
        async (scope) => (await scope.repository<Account>('Account').findById(opened))!.deposit(4, at),
        { within: em },
      );
      return opened;
    });

    expect(await balanceOf(database, id)).toEqual({ balance: 7, version: 3 });
    expect((await outboxRows(database, id)).map((row) => Number(row.aggregate_version))).toEqual([1, 2, 3]);
  });

  describe("a handler's transaction whose snapshot is older than a concurrent writer's commit", () => {
    // The handler's first read takes the transaction's snapshot; another instance (`second`, its
    // own pool) then commits a deposit, as a handler does that waited on a lock meanwhile.
    const withStaleSnapshot = async (id: string, work: (em: SqlEntityManager) => Promise<unknown>) =>
      database.em().transactional(async (em) => {
        await em.execute('select version from account where id = ?', [id]);
        await unitOfWork(second).run(async (scope) =>
          (await scope.repository<Account>('Account').findById(id))!.deposit(5, at),
        );
        return work(em);
      });

    it('loads for update the row as the writer committed it, and changes it at its version', async () => {
      const uow = unitOfWork(database);
      const id = await openAccount(uow);
      await withStaleSnapshot(id, (em) =>
        uow.run(
          async (scope) =>
            (await scope.repository<Account>('Account').findById(id, { forUpdate: true }))!.deposit(4, at),
          { within: em },
        ),
      );
      expect(await balanceOf(database, id)).toEqual({ balance: 9, version: 3 });
    });

    it('refuses a change made from a plain load, which reads the snapshot', async () => {
      const uow = unitOfWork(database);
      const id = await openAccount(uow);
      await expect(
        withStaleSnapshot(id, (em) =>
          uow.run(
            async (scope) => (await scope.repository<Account>('Account').findById(id))!.deposit(4, at),
            { within: em },
          ),
        ),
      ).rejects.toMatchObject({ code: 'aggregate-version-conflict' });
      expect(await balanceOf(database, id)).toEqual({ balance: 5, version: 2 });
    });

    it('refuses to lock an aggregate the work already loaded without the lock', async () => {
      const uow = unitOfWork(database);
      const id = await openAccount(uow);
      await expect(
        uow.run(async (scope) => {
          await scope.repository<Account>('Account').findById(id);
          return scope.repository<Account>('Account').findById(id, { forUpdate: true });
        }),
      ).rejects.toThrow(/loaded without a lock earlier in this unit of work/);
    });
  });

  it('writes nothing when an event breaks its contract', async () => {
    const uow = unitOfWork(database);
    const id = await openAccount(uow);
    await expect(
      uow.run(async (scope) => {
        (await scope.repository<Account>('Account').findById(id))!.depositBroken(at);
      }),
    ).rejects.toThrow(/payload\.amount/);
    expect(await balanceOf(database, id)).toEqual({ balance: 0, version: 1 });
    expect(await outboxRows(database, id)).toHaveLength(1);
  });

  it('lets one of two concurrent commands on an aggregate win and answers CONFLICT to the other', async () => {
    const id = await openAccount(unitOfWork(database));
    let loaded = 0;
    let bothLoaded!: () => void;
    const barrier = new Promise<void>((resolve) => (bothLoaded = resolve));
    const command = (db: Database, amount: number) =>
      unitOfWork(db).run(async (scope) => {
        const account = await scope.repository<Account>('Account').findById(id);
        loaded += 1;
        if (loaded === 2) bothLoaded();
        await barrier;
        return account!.deposit(amount, at);
      });

    const outcomes = await Promise.allSettled([command(database, 10), command(second, 20)]);

    const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const rejected = outcomes.filter(
      (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
    );
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toMatchObject({ category: 'CONFLICT', code: 'aggregate-version-conflict' });
    const winner = (fulfilled[0] as PromiseFulfilledResult<number>).value;
    expect(await balanceOf(database, id)).toEqual({ balance: winner, version: 2 });
    expect((await outboxRows(database, id)).map((row) => row.event_type)).toEqual([
      'AccountOpened',
      'FundsDeposited',
    ]);
  });

  it('answers CONFLICT when a stale aggregate is saved after another command committed', async () => {
    const uow = unitOfWork(database);
    const id = await openAccount(uow);
    await expect(
      uow.run(async (scope) => {
        const account = await scope.repository<Account>('Account').findById(id);
        await unitOfWork(second).run(async (other) =>
          (await other.repository<Account>('Account').findById(id))!.deposit(1, at),
        );
        account!.deposit(100, at);
      }),
    ).rejects.toMatchObject({ category: 'CONFLICT' });
    expect(await balanceOf(database, id)).toEqual({ balance: 1, version: 2 });
  });

  it("refuses a second unit of work in a handler's transaction once one failed to commit there", async () => {
    const uow = unitOfWork(database);
    const id = await openAccount(uow);
    const depositWithin = (handler: SqlEntityManager, amount: number) =>
      uow.run(
        async (scope) => (await scope.repository<Account>('Account').findById(id))!.deposit(amount, at),
        { within: handler },
      );
    await expect(
      database
        .em()
        .fork()
        .transactional(async (handler) => {
          await expect(
            uow.run(
              async (scope) => {
                const account = await scope.repository<Account>('Account').findById(id);
                await unitOfWork(second).run(async (other) =>
                  (await other.repository<Account>('Account').findById(id))!.deposit(1, at),
                );
                account!.deposit(100, at);
              },
              { within: handler },
            ),
          ).rejects.toMatchObject({ category: 'CONFLICT' });
          // The retry a handler might try in place: its session still holds the failed deposit.
          await depositWithin(handler, 10);
        }),
    ).rejects.toThrow("a unit of work inside this handler's transaction already failed to commit");
    expect(await balanceOf(database, id)).toEqual({ balance: 1, version: 2 });
    // A fresh transaction, as a redelivery gets, deposits on what was committed.
    await database
      .em()
      .fork()
      .transactional((handler) => depositWithin(handler, 10));
    expect(await balanceOf(database, id)).toEqual({ balance: 11, version: 3 });
  });

  it('runs a non-idempotent command once per idempotency key, across two instances, answering the same twice', async () => {
    const id = await openAccount(unitOfWork(database));
    const idempotency = { caller: 'learner-api', key: 'k-1', method: 'Account.deposit' };
    const deposit = (db: Database) =>
      unitOfWork(db).run(
        async (scope) => {
          const account = await scope.repository<Account>('Account').findById(id);
          return { balance: account!.deposit(7, at), at: new Date() };
        },
        { idempotency },
      );

    const first = await deposit(database);
    const again = await deposit(second);

    expect(again).toEqual(first);
    expect(again.at).toBeInstanceOf(Date);
    expect(await balanceOf(database, id)).toEqual({ balance: 7, version: 2 });
  });

  it('runs once when two instances receive the same key at the same moment', async () => {
    const id = await openAccount(unitOfWork(database));
    const idempotency = { caller: 'learner-api', key: 'k-concurrent', method: 'Account.deposit' };
    const deposit = (db: Database) =>
      unitOfWork(db).run(
        async (scope) => ({
          balance: (await scope.repository<Account>('Account').findById(id))!.deposit(3, at),
        }),
        {
          idempotency,
        },
      );

    const answers = await Promise.all([deposit(database), deposit(second)]);

    expect(answers).toEqual([{ balance: 3 }, { balance: 3 }]);
    expect(await balanceOf(database, id)).toEqual({ balance: 3, version: 2 });
  });

  it('refuses a key reused for another method', async () => {
    const uow = unitOfWork(database);
    const scope = { caller: 'learner-api', key: 'k-reused', method: 'Account.open' };
    await uow.run(async () => 'opened', { idempotency: scope });
    await expect(
      uow.run(async () => 'deposited', { idempotency: { ...scope, method: 'Account.deposit' } }),
    ).rejects.toMatchObject({
      category: 'INVALID_ARGUMENT',
      code: 'idempotency-key-reused-for-another-method',
    });
  });

  it('forgets keys after the window: cleanup deletes them and the key acts again', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const uow = unitOfWork(database, () => now);
    const id = await openAccount(uow);
    const idempotency = { caller: 'studio-api', key: 'k-expiring', method: 'Account.deposit' };
    const deposit = () =>
      uow.run(async (scope) => (await scope.repository<Account>('Account').findById(id))!.deposit(2, at), {
        idempotency,
      });

    expect(await deposit()).toBe(2);
    now += 30_000;
    expect(await deposit()).toBe(2);
    now += 31_000;
    const deleted = await deleteExpiredRows(database, { retainHandledMs: 24 * 3_600_000, now: () => now });
    expect(deleted.idempotencyKeys).toBeGreaterThanOrEqual(1);
    const [row] = await database
      .em()
      .execute<{ n: number }[]>(
        "select count(*) as n from idempotency_keys where idempotency_key = 'k-expiring'",
      );
    expect(Number(row?.n)).toBe(0);
    expect(await deposit()).toBe(4);
  });
});
