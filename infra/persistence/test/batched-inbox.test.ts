import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deadLetterTopicFor,
  envelopeToMessage,
  EventProcessor,
  InProcessEventBroker,
  OutboxRelay,
  SoleLeader,
  topicFor,
  type DeliveredMessage,
  type EventHandler,
  type OutboxStore,
} from '@strata/events';
import { openDatabase, SqlInbox, SqlOutboxStore, type Database } from '@strata/persistence';
import { Account, accountEvents, accountSchema, accountUnitOfWork } from './support/account.ts';

const at = new Date('2026-03-01T10:00:00.000Z');

describe('a consumer batch in one inbox transaction, and a relay woken by commits', () => {
  const directory = mkdtempSync(join(tmpdir(), 'strata-batched-inbox-'));
  const topic = topicFor('banking');
  const broker = new InProcessEventBroker();
  const deadLetters: DeliveredMessage[] = [];
  const handled: number[] = [];
  let attemptsOnPoison = 0;
  let database: Database;

  const addDeposit: EventHandler<SqlEntityManager> = async (envelope, em) => {
    const { amount } = envelope.payload as { amount: number };
    if (amount === 13) {
      attemptsOnPoison += 1;
      throw new Error('ledger refuses unlucky deposits');
    }
    await em.execute(
      'insert into ledger (account_id, total, deposits) values (?, ?, 1) on conflict (account_id) do update set total = total + excluded.total, deposits = deposits + 1',
      [envelope.aggregateId, amount],
      'run',
    );
    handled.push(amount);
  };

  const processor = (): EventProcessor<SqlEntityManager> =>
    new EventProcessor({
      consumerGroup: 'ledger',
      handlers: { FundsDeposited: addDeposit },
      inbox: new SqlInbox(database),
      schema: accountEvents.schema,
      deadLetters: broker,
      maxAttempts: 3,
      initialBackoffMs: 1,
    });

  /** Commits an account with these deposits and answers the messages the relay would publish. */
  async function depositsAsMessages(
    amounts: number[],
  ): Promise<{ id: string; messages: DeliveredMessage[] }> {
    const uow = accountUnitOfWork(database);
    const id = await uow.run(async (scope) => {
      const account = Account.open('grace', at);
      scope.repository<Account>('Account').add(account);
      return account.id;
    });
    for (const amount of amounts) {
      await uow.run(async (scope) =>
        (await scope.repository<Account>('Account').findById(id))!.deposit(amount, at),
      );
    }
    const store = new SqlOutboxStore(database);
    const rows = await store.fetchUnsent(100);
    await store.markSent(rows.map((row) => row.sequence));
    const messages = rows
      .filter((row) => row.envelope.aggregateId === id)
      .map((row, offset) => ({
        ...envelopeToMessage(row.topic, row.envelope),
        partition: 0,
        offset: String(offset),
      }));
    return { id, messages };
  }

  /** A relay over `store` that polls every 5 ms, and the keys it delivers on the topic. */
  function relayPolling(store: OutboxStore) {
    const delivered: string[] = [];
    const unsubscribe = broker.subscribe(topic, async (message) => {
      delivered.push(message.key);
    });
    const relay = new OutboxRelay({ service: 'batched', store, broker, lock: new SoleLeader(), idleMs: 5 });
    return { delivered, relay, unsubscribe };
  }

  const openAccount = () =>
    accountUnitOfWork(database).run(async (scope) => {
      const account = Account.open('grace', at);
      scope.repository<Account>('Account').add(account);
      return account.id;
    });

  async function ledgerOf(id: string): Promise<{ total: number; deposits: number }> {
    const [row] = await database
      .em()
      .execute<{ total: number; deposits: number }[]>(
        'select total, deposits from ledger where account_id = ?',
        [id],
      );
    return { total: Number(row?.total ?? 0), deposits: Number(row?.deposits ?? 0) };
  }

  beforeAll(async () => {
    database = await openDatabase(
      { kind: 'sqlite', service: 'batched', file: join(directory, 'strata.db') },
      { entities: [accountSchema] },
    );
    await database
      .em()
      .execute(
        'create table ledger (account_id text primary key, total integer not null, deposits integer not null)',
        [],
        'run',
      );
    broker.subscribe(deadLetterTopicFor(topic, 'ledger'), async (message) => {
      deadLetters.push(message);
    });
  });

  afterAll(async () => {
    await broker.close();
    await database.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('handles a batch in order, once per event id: a redelivered batch and a repeated id answer duplicate', async () => {
    handled.length = 0;
    const { id, messages } = await depositsAsMessages([5, 7, 11]);
    const [opened, ...deposits] = messages;
    const batch = [opened!, ...deposits, deposits[0]!];

    expect(await processor().processBatch(batch)).toEqual([
      'skipped',
      'handled',
      'handled',
      'handled',
      'duplicate',
    ]);
    expect(await processor().processBatch(batch)).toEqual([
      'skipped',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    expect(handled).toEqual([5, 7, 11]);
    expect(await ledgerOf(id)).toEqual({ total: 23, deposits: 3 });
  });

  it('rolls a batch back when a handler fails, then handles each alone; the batch try counts as the first attempt', async () => {
    handled.length = 0;
    attemptsOnPoison = 0;
    deadLetters.length = 0;
    const { id, messages } = await depositsAsMessages([5, 13, 7]);

    expect(await processor().processBatch(messages)).toEqual([
      'skipped',
      'handled',
      'dead-lettered',
      'handled',
    ]);
    expect(await ledgerOf(id)).toEqual({ total: 12, deposits: 2 });
    expect(attemptsOnPoison).toBe(3);
    expect(deadLetters.map((message) => message.headers['dlq-attempts'])).toEqual(['3']);
  });

  it('publishes a commit of its own process without waiting for the poll', async () => {
    const sqlStore = new SqlOutboxStore(database);
    await sqlStore.markSent((await sqlStore.fetchUnsent(1_000)).map((row) => row.sequence));
    let emptyReads = 0;
    const store: OutboxStore = {
      fetchUnsent: async (limit) => {
        const rows = await sqlStore.fetchUnsent(limit);
        if (rows.length === 0) emptyReads += 1;
        return rows;
      },
      markSent: (sequences) => sqlStore.markSent(sequences),
      backlog: () => sqlStore.backlog(),
      onCommit: (listener) => sqlStore.onCommit(listener),
    };
    const delivered: string[] = [];
    const unsubscribe = broker.subscribe(topic, async (message) => {
      delivered.push(message.key);
    });
    // A poll an hour apart: only the commit's signal can bring the event out within the test.
    const relay = new OutboxRelay({
      service: 'batched',
      store,
      broker,
      lock: new SoleLeader(),
      idleMs: 3_600_000,
    });
    relay.start();
    try {
      while (emptyReads === 0) await new Promise((resolve) => setImmediate(resolve));
      const id = await accountUnitOfWork(database).run(async (scope) => {
        const account = Account.open('ada', at);
        scope.repository<Account>('Account').add(account);
        return account.id;
      });
      while (!delivered.includes(id)) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(delivered).toEqual([id]);
    } finally {
      await relay.stop();
      unsubscribe();
    }
  });

  it('publishes the next commit while the previous batch is still being marked sent, and no row twice', async () => {
    const sqlStore = new SqlOutboxStore(database);
    await sqlStore.markSent((await sqlStore.fetchUnsent(1_000)).map((row) => row.sequence));
    let releaseFirstMark!: () => void;
    const firstMarkHeld = new Promise<void>((resolve) => (releaseFirstMark = resolve));
    let marks = 0;
    // The first mark does not finish until the test lets it: its rows stay unsent in the table.
    const store: OutboxStore = {
      fetchUnsent: (limit) => sqlStore.fetchUnsent(limit),
      markSent: async (sequences) => {
        marks += 1;
        if (marks === 1) await firstMarkHeld;
        await sqlStore.markSent(sequences);
      },
      backlog: () => sqlStore.backlog(),
      onCommit: (listener) => sqlStore.onCommit(listener),
    };
    const { delivered, relay, unsubscribe } = relayPolling(store);
    relay.start();
    try {
      const first = await openAccount();
      while (marks === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await openAccount();
      // A relay that waited for the mark before reading again would never get here.
      while (!delivered.includes(second)) await new Promise((resolve) => setTimeout(resolve, 5));
      // Polled every 5 ms meanwhile, the first rows were left out of every read while being marked.
      expect(delivered).toEqual([first, second]);
      releaseFirstMark();
      while ((await sqlStore.backlog()).unsent > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(delivered).toEqual([first, second]);
    } finally {
      releaseFirstMark();
      await relay.stop();
      unsubscribe();
    }
  });
  it('does not publish again the rows of a mark that commits while a read is in flight', async () => {
    const sqlStore = new SqlOutboxStore(database);
    await sqlStore.markSent((await sqlStore.fetchUnsent(1_000)).map((row) => row.sequence));
    let releaseFirstMark!: () => void;
    const firstMarkHeld = new Promise<void>((resolve) => (releaseFirstMark = resolve));
    let firstMarkDone!: () => void;
    const firstMarked = new Promise<void>((resolve) => (firstMarkDone = resolve));
    let marks = 0;
    let raced = false;
    let readsAfterRace = 0;
    // The first mark waits for the next read to have read its rows still unsent, and commits before
    // that read answers: the read's rows predate the mark, the relay learns of the mark first.
    const store: OutboxStore = {
      fetchUnsent: async (limit) => {
        const rows = await sqlStore.fetchUnsent(limit);
        if (raced) readsAfterRace += 1;
        else if (marks === 1) {
          raced = true;
          releaseFirstMark();
          await firstMarked;
          // The relay's own bookkeeping after the mark runs in the turns that follow it.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return rows;
      },
      markSent: async (sequences) => {
        marks += 1;
        if (marks > 1) return sqlStore.markSent(sequences);
        await firstMarkHeld;
        await sqlStore.markSent(sequences);
        firstMarkDone();
      },
      backlog: () => sqlStore.backlog(),
      onCommit: (listener) => sqlStore.onCommit(listener),
    };
    const { delivered, relay, unsubscribe } = relayPolling(store);
    relay.start();
    try {
      const id = await openAccount();
      // Two more reads after the raced one: whatever it returned has been published by then.
      while (readsAfterRace < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(delivered).toEqual([id]);
      expect((await sqlStore.backlog()).unsent).toBe(0);
    } finally {
      releaseFirstMark();
      await relay.stop();
      unsubscribe();
    }
  });
});
