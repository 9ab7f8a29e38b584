import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  consumeInProcess,
  deadLetterTopicFor,
  EventProcessor,
  InProcessEventBroker,
  OutboxRelay,
  SoleLeader,
  topicFor,
  type DeliveredMessage,
  type EventHandler,
} from '@strata/events';
import { openDatabase, SqlInbox, SqlOutboxStore, type Database } from '@strata/persistence';
import { Account, accountEvents, accountSchema, accountUnitOfWork } from './support/account.ts';

const at = new Date('2026-03-01T10:00:00.000Z');

const addDeposit: EventHandler<SqlEntityManager> = async (envelope, em) => {
  const { amount } = envelope.payload as { amount: number };
  if (amount === 13) throw new Error('ledger refuses unlucky deposits');
  await em.execute(
    'insert into ledger (account_id, total, deposits) values (?, ?, 1) on conflict (account_id) do update set total = total + excluded.total, deposits = deposits + 1',
    [envelope.aggregateId, amount],
    'run',
  );
};

describe('embedded mode: the same outbox and relay, an in-process broker, SQLite', () => {
  const directory = mkdtempSync(join(tmpdir(), 'strata-embedded-'));
  const topic = topicFor('banking');
  const broker = new InProcessEventBroker();
  const deadLetters: DeliveredMessage[] = [];
  let database: Database;

  beforeAll(async () => {
    database = await openDatabase(
      { kind: 'sqlite', service: 'embedded', file: join(directory, 'strata.db') },
      { entities: [accountSchema] },
    );
    await database
      .em()
      .execute(
        'create table ledger (account_id text primary key, total integer not null, deposits integer not null)',
        [],
        'run',
      );
    consumeInProcess(
      broker,
      [topic],
      new EventProcessor({
        consumerGroup: 'ledger',
        handlers: { FundsDeposited: addDeposit },
        inbox: new SqlInbox(database),
        schema: accountEvents.schema,
        deadLetters: broker,
        maxAttempts: 2,
        initialBackoffMs: 1,
      }),
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

  it('delivers every committed event once, dead-letters the poison one and absorbs a republish', async () => {
    const uow = accountUnitOfWork(database);
    const id = await uow.run(async (scope) => {
      const account = Account.open('grace', at);
      scope.repository<Account>('Account').add(account);
      return account.id;
    });
    for (const amount of [5, 13, 7]) {
      await uow.run(async (scope) =>
        (await scope.repository<Account>('Account').findById(id))!.deposit(amount, at),
      );
    }
    const relay = new OutboxRelay({
      service: 'embedded',
      store: new SqlOutboxStore(database),
      broker,
      lock: new SoleLeader(),
    });

    expect(await relay.publishBatch()).toBe(4);
    await database.em().execute('update outbox set sent_at = null', [], 'run');
    expect(await relay.publishBatch()).toBe(4);
    expect(await relay.publishBatch()).toBe(0);

    const [row] = await database
      .em()
      .execute<{ total: number; deposits: number }[]>(
        'select total, deposits from ledger where account_id = ?',
        [id],
      );
    expect({ total: Number(row?.total), deposits: Number(row?.deposits) }).toEqual({
      total: 12,
      deposits: 2,
    });
    // The republished poison message is dead-lettered again: it never got into the inbox.
    expect(deadLetters.map((message) => message.headers['dlq-attempts'])).toEqual(['2', '2']);
  });
});
