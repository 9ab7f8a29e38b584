import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stackEndpoints } from '@strata/dev-stack';
import { KafkaEventBroker, KafkaEventConsumer, OutboxRelay } from '@strata/events';
import { MySqlLeaderLock, SqlOutboxStore, type Database } from '@strata/persistence';
import { Account, accountScenario, accountUnitOfWork } from './support/account.ts';
import { dropDatabase, openAccounts } from './support/databases.ts';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { brokers, createTopics, deleteTopics } from './support/kafka.ts';
import { ledgerProcessor, openLedger, totalDeposits } from './support/ledger.ts';

jest.setTimeout(120_000);

describe('two relays of one data service', () => {
  const { service, ledgerService, context, topic, events } = accountScenario('relays');
  const broker = new KafkaEventBroker({ brokers, clientId: 'failover-test' });
  const outcomes: string[] = [];
  let accounts: Database;
  let ledger: Database;
  let consumer: KafkaEventConsumer;
  let standby: OutboxRelay;
  let active: ChildProcess | undefined;
  let activeOutput = '';

  beforeAll(async () => {
    await createTopics([topic]);
    accounts = await openAccounts(service);
    ledger = await openLedger(ledgerService);
    consumer = new KafkaEventConsumer({
      brokers,
      clientId: 'failover-consumer',
      topics: [topic],
      processor: ledgerProcessor({ ledger, context, events, deadLetters: broker, outcomes }),
    });
    await consumer.start();
  });

  afterAll(async () => {
    active?.kill('SIGKILL');
    await standby?.stop();
    await consumer?.stop();
    await broker.close();
    await accounts?.close();
    await ledger?.close();
    await dropDatabase(service);
    await dropDatabase(ledgerService);
    await deleteTopics([topic]);
  });

  async function commitDeposits(count: number): Promise<void> {
    const uow = accountUnitOfWork(accounts, { events });
    const ids: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      ids.push(
        await uow.run(async (scope) => {
          const account = Account.open(`owner-${index}`, new Date());
          scope.repository<Account>('Account').add(account);
          return account.id;
        }),
      );
    }
    for (let index = 0; index < count; index += 1) {
      const id = ids[index % ids.length] as string;
      await uow.run(async (scope) =>
        (await scope.repository<Account>('Account').findById(id))!.deposit(1, new Date()),
      );
    }
  }

  it('publishes through the leader only and hands over when the leader is killed', async () => {
    active = spawn(
      process.execPath,
      [fileURLToPath(new URL('./fixtures/run-relay.ts', import.meta.url)), service],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    active.stdout!.on('data', (chunk: Buffer) => (activeOutput += chunk.toString()));
    await waitFor('the first relay process to lead', () => activeOutput.includes('leader=true'), {
      timeoutMs: 30_000,
    });

    const { mysql } = stackEndpoints();
    standby = new OutboxRelay({
      service,
      store: new SqlOutboxStore(accounts),
      broker,
      lock: new MySqlLeaderLock({ ...mysql, service }),
      leaderCheckMs: 200,
    });
    standby.start();

    await commitDeposits(20);
    await waitFor(
      'twenty deposits through the active relay',
      async () => (await totalDeposits(ledger)) === 20,
      { timeoutMs: 60_000 },
    );
    expect(standby.isLeader).toBe(false);
    expect(standby.publishedCount).toBe(0);
    await waitFor(
      'the active relay to report its 24 publishes',
      () => activeOutput.includes('published=24'),
      { timeoutMs: 5_000 },
    );

    active.kill('SIGKILL');
    const killedAt = Date.now();
    await commitDeposits(20);
    await waitFor('the standby to take over', () => standby.isLeader, { timeoutMs: 30_000 });
    const handoverMs = Date.now() - killedAt;
    await waitFor(
      'twenty more deposits through the standby',
      async () => (await totalDeposits(ledger)) === 40,
      { timeoutMs: 60_000 },
    );

    expect(standby.publishedCount).toBeGreaterThanOrEqual(24);
    expect(await totalDeposits(ledger)).toBe(40);
    expect(outcomes.filter((outcome) => outcome === 'handled')).toHaveLength(40);
    // Anything published twice (acked but not yet marked when the leader died) was absorbed by the inbox.
    const duplicates = outcomes.filter((outcome) => outcome === 'duplicate').length;
    process.stdout.write(
      `relay handover: ${handoverMs} ms after SIGKILL; ${duplicates} duplicate deliveries absorbed\n`,
    );
  });
});
