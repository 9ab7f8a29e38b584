import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { SqlEntityManager } from '@mikro-orm/sql';
import {
  deadLetterTopicFor,
  EventProcessor,
  KafkaEventBroker,
  KafkaEventConsumer,
  OutboxRelay,
  replayTopic,
  SoleLeader,
  topicFor,
  type EventHandler,
} from '@strata/events';
import { SqlInbox, SqlOutboxStore, type Database } from '@strata/persistence';
import { Account, accountEventsIn, accountUnitOfWork } from './support/account.ts';
import { dropDatabase, openAccounts, uniqueService } from './support/databases.ts';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { brokers, createTopics, deleteTopics, producer, readAll } from './support/kafka.ts';
import { addDeposit, ledgerOf, openLedger, totalDeposits } from './support/ledger.ts';

jest.setTimeout(120_000);

const at = new Date('2026-03-01T10:00:00.000Z');

describe('a Kafka consumer with an inbox', () => {
  const context = `poison${Date.now()}`;
  const topic = topicFor(context);
  const group = `ledger-${context}`;
  const deadLetters = deadLetterTopicFor(topic, group);
  const events = accountEventsIn(context);
  const services = {
    accounts: uniqueService('acc'),
    ledger: uniqueService('led'),
    rebuilt: uniqueService('reb'),
  };
  const broker = new KafkaEventBroker({ brokers, clientId: 'consumer-test' });
  let accounts: Database;
  let ledger: Database;
  let consumer: KafkaEventConsumer;
  let relay: OutboxRelay;
  let accountId: string;
  let attemptsOnPoison = 0;
  let startedAt: Date;

  // A handler that can never handle a deposit of 13: a poison message.
  const handlers: Record<string, EventHandler<SqlEntityManager>> = {
    FundsDeposited: async (envelope, em) => {
      if ((envelope.payload as { amount: number }).amount === 13) {
        attemptsOnPoison += 1;
        throw new Error('ledger refuses unlucky deposits');
      }
      await addDeposit(envelope, em);
    },
  };

  beforeAll(async () => {
    await createTopics([topic, deadLetters]);
    accounts = await openAccounts(services.accounts);
    ledger = await openLedger(services.ledger);
    relay = new OutboxRelay({
      service: services.accounts,
      store: new SqlOutboxStore(accounts),
      broker,
      lock: new SoleLeader(),
    });
    consumer = new KafkaEventConsumer({
      brokers,
      clientId: 'consumer-test',
      topics: [topic],
      processor: new EventProcessor({
        consumerGroup: group,
        handlers,
        inbox: new SqlInbox(ledger),
        schema: events.schema,
        deadLetters: broker,
        maxAttempts: 3,
        initialBackoffMs: 20,
        maxBackoffMs: 100,
      }),
    });
    startedAt = new Date(Date.now() - 1_000);
  });

  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await broker.close();
    await accounts?.close();
    await ledger?.close();
    for (const service of Object.values(services)) await dropDatabase(service);
    await deleteTopics([topic, deadLetters, deadLetterTopicFor(topic, `rebuild-${context}`)]);
  });

  it('dead-letters a poison message after N attempts with the error, and handles the later ones', async () => {
    const uow = accountUnitOfWork(accounts, { events });
    accountId = await uow.run(async (scope) => {
      const account = Account.open('ada', at);
      scope.repository<Account>('Account').add(account);
      return account.id;
    });
    for (const amount of [5, 13, 7]) {
      await uow.run(async (scope) =>
        (await scope.repository<Account>('Account').findById(accountId))!.deposit(amount, at),
      );
    }
    // A message that is not an envelope at all, on the same partition as the account's events.
    const raw = producer();
    await raw.connect();
    await raw.send({ topic, messages: [{ key: accountId, value: '{"not":"an envelope"}' }] });
    await raw.disconnect();
    await uow.run(async (scope) =>
      (await scope.repository<Account>('Account').findById(accountId))!.deposit(30, at),
    );

    relay.start();
    await consumer.start();
    await waitFor('three good deposits in the ledger', async () => (await totalDeposits(ledger)) === 3, {
      timeoutMs: 60_000,
    });

    expect((await ledgerOf(ledger)).get(accountId)).toEqual({ total: 42, deposits: 3 });
    expect(attemptsOnPoison).toBe(3);
    const dead = await readAll(deadLetters);
    expect(dead).toHaveLength(2);
    const poison = dead.find((message) => message.headers['event-type'] === 'FundsDeposited');
    expect(poison?.headers).toMatchObject({
      'dlq-attempts': '3',
      'dlq-error': 'Error: ledger refuses unlucky deposits',
      'dlq-consumer-group': group,
      'dlq-original-topic': topic,
      'aggregate-id': accountId,
    });
    expect(JSON.parse(poison!.value)).toMatchObject({ payload: { amount: 13 } });
    const invalid = dead.find((message) => message.value === '{"not":"an envelope"}');
    expect(invalid?.headers).toMatchObject({ 'dlq-attempts': '1' });
    expect(invalid?.headers['dlq-error']).toMatch(/InvalidEnvelopeError: event envelope: id: /);
  });

  it('replays the topic from an offset or a time to rebuild a read model', async () => {
    const rebuilt = await openLedger(services.rebuilt);
    try {
      const processor = new EventProcessor({
        consumerGroup: `rebuild-${context}`,
        handlers: { FundsDeposited: addDeposit },
        inbox: new SqlInbox(rebuilt),
        schema: events.schema,
        deadLetters: broker,
        maxAttempts: 1,
      });
      const read = await replayTopic({ brokers, topic, from: { offset: '0' }, processor });

      expect(read).toBe(6);
      // Without the poison handler, the rebuilt model also has the deposit of 13.
      expect((await ledgerOf(rebuilt)).get(accountId)).toEqual({ total: 55, deposits: 4 });

      expect(await replayTopic({ brokers, topic, from: { time: startedAt }, processor })).toBe(6);
      expect((await ledgerOf(rebuilt)).get(accountId)).toEqual({ total: 55, deposits: 4 });
      expect(
        await replayTopic({ brokers, topic, from: { time: new Date(Date.now() + 60_000) }, processor }),
      ).toBe(0);
    } finally {
      await rebuilt.close();
    }
  });
});
