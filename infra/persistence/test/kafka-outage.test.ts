import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';
import { KafkaEventBroker, KafkaEventConsumer, OutboxRelay, SoleLeader } from '@strata/events';
import { kafkaClient } from '@strata/kafka';
import { SqlOutboxStore, type Database } from '@strata/persistence';
import { Account, accountScenario, accountUnitOfWork } from './support/account.ts';
import { dropDatabase, openAccounts } from './support/databases.ts';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { brokers, createTopics, deleteTopics } from './support/kafka.ts';
import { ledgerProcessor, openLedger, totalDeposits } from './support/ledger.ts';

jest.setTimeout(180_000);

/**
 * The shared broker must stay up for everyone, so the outage is cut in the relay's own network
 * path: while `down`, its sockets are destroyed and new ones are refused (port 1 answers nothing).
 */
class CuttableNetwork {
  down = false;
  private readonly sockets = new Set<Socket>();

  readonly socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = this.down ? connect({ host: '127.0.0.1', port: 1 }) : connect({ host, port }, onConnect);
    socket.setKeepAlive(true);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    return socket;
  };

  cut(): void {
    this.down = true;
    // With an error, as a real reset arrives: kafkajs listens for 'error' and 'end', not 'close',
    // so a silent destroy() would leave its request queue waiting forever.
    for (const socket of this.sockets) {
      socket.destroy(Object.assign(new Error('network cut by the test'), { code: 'ECONNRESET' }));
    }
  }

  restore(): void {
    this.down = false;
  }
}

async function messagesIn(topic: string): Promise<number> {
  const admin = kafkaClient({ clientId: 'outage-count', brokers }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce(
      (sum, { low, high }) => sum + Number(high) - Number(low),
      0,
    );
  } finally {
    await admin.disconnect();
  }
}

describe('Kafka unreachable for the relay while commands keep succeeding', () => {
  const { service, ledgerService, context, topic, events } = accountScenario('outage');
  const network = new CuttableNetwork();
  const relayBroker = new KafkaEventBroker({
    brokers,
    clientId: 'outage-relay',
    socketFactory: network.socketFactory,
    requestTimeoutMs: 3_000,
  });
  const consumerBroker = new KafkaEventBroker({ brokers, clientId: 'outage-dlq' });
  const relayErrors: string[] = [];
  let accounts: Database;
  let ledger: Database;
  let relay: OutboxRelay;
  let consumer: KafkaEventConsumer;

  beforeAll(async () => {
    await createTopics([topic]);
    accounts = await openAccounts(service);
    ledger = await openLedger(ledgerService);
    relay = new OutboxRelay({
      service,
      store: new SqlOutboxStore(accounts),
      broker: relayBroker,
      lock: new SoleLeader(),
      onError: (error, context) => relayErrors.push(`${context}: ${String(error)}`),
    });
    consumer = new KafkaEventConsumer({
      brokers,
      clientId: 'outage-consumer',
      topics: [topic],
      processor: ledgerProcessor({ ledger, context, events, deadLetters: consumerBroker }),
    });
    await consumer.start();
  });

  afterAll(async () => {
    network.restore();
    await relay?.stop();
    await consumer?.stop();
    await relayBroker.close();
    await consumerBroker.close();
    await accounts?.close();
    await ledger?.close();
    await dropDatabase(service);
    await dropDatabase(ledgerService);
    await deleteTopics([topic]);
  });

  it('delivers every event when Kafka returns: count published equals count committed', async () => {
    const uow = accountUnitOfWork(accounts, { events });
    const id = await uow.run(async (scope) => {
      const account = Account.open('ada', new Date());
      scope.repository<Account>('Account').add(account);
      return account.id;
    });
    const deposit = () =>
      uow.run(async (scope) =>
        (await scope.repository<Account>('Account').findById(id))!.deposit(1, new Date()),
      );
    relay.start();
    for (let index = 0; index < 10; index += 1) await deposit();
    await waitFor('ten deposits before the outage', async () => (await totalDeposits(ledger)) === 10, {
      timeoutMs: 60_000,
    });

    network.cut();
    for (let index = 0; index < 30; index += 1) await deposit();
    await waitFor('the relay to notice the outage', () => relayErrors.length > 0, { timeoutMs: 60_000 });
    expect(await new SqlOutboxStore(accounts).backlog()).toMatchObject({ unsent: 30 });

    network.restore();
    await waitFor('all forty deposits after the outage', async () => (await totalDeposits(ledger)) === 40, {
      timeoutMs: 120_000,
    });
    await waitFor(
      'the outbox to drain',
      async () => (await new SqlOutboxStore(accounts).backlog()).unsent === 0,
      { timeoutMs: 30_000 },
    );

    const [committed] = await accounts.em().execute<{ n: number }[]>('select count(*) as n from outbox');
    expect(Number(committed?.n)).toBe(41);
    expect(await messagesIn(topic)).toBe(41);
  });
});
