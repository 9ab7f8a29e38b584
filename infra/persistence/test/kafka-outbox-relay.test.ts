import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import {
  KafkaEventBroker,
  KafkaEventConsumer,
  OutboxRelay,
  SoleLeader,
  type EventBroker,
} from '@strata/events';
import { SqlOutboxStore, type Database } from '@strata/persistence';
import { accountScenario } from './support/account.ts';
import { dropDatabase, openAccounts } from './support/databases.ts';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { brokers, createTopics, deleteTopics } from './support/kafka.ts';
import { ledgerOf, ledgerProcessor, openLedger } from './support/ledger.ts';

jest.setTimeout(90_000);

function runChild(
  script: string,
  args: string[],
): Promise<{ stdout: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url)), ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ stdout, signal }));
  });
}

describe('a data service killed after commit and before publish', () => {
  const { service, ledgerService: consumerService, context, topic, events } = accountScenario('crash');
  let producerDb: Database;
  let ledgerDb: Database;
  let broker: EventBroker;
  let consumer: KafkaEventConsumer;
  const outcomes: string[] = [];

  beforeAll(async () => {
    await createTopics([topic]);
    ledgerDb = await openLedger(consumerService);
    broker = new KafkaEventBroker({ brokers, clientId: 'crash-test' });
    consumer = new KafkaEventConsumer({
      brokers,
      clientId: 'crash-test-consumer',
      topics: [topic],
      processor: ledgerProcessor({ ledger: ledgerDb, context, events, deadLetters: broker, outcomes }),
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await broker.close();
    await producerDb?.close();
    await ledgerDb.close();
    await dropDatabase(service);
    await dropDatabase(consumerService);
    await deleteTopics([topic]);
  });

  it('publishes after restart and the downstream effect happens exactly once, even when delivered twice', async () => {
    const child = await runChild('commit-then-die.ts', [service, context]);
    expect(child.signal).toBe('SIGKILL');
    const accountId = child.stdout.trim();

    // "Restart": a new process of the service opens the same database and runs its relay.
    producerDb = await openAccounts(service);
    const store = new SqlOutboxStore(producerDb);
    const metrics = new Registry();
    const relay = new OutboxRelay({ service, store, broker, lock: new SoleLeader(), metrics });
    expect(await store.backlog()).toMatchObject({ unsent: 2 });
    const lag = await metrics.getSingleMetricAsString('strata_outbox_unsent_events');
    expect(lag).toContain(`strata_outbox_unsent_events{service="${service}"} 2`);
    expect(await metrics.getSingleMetricAsString('strata_outbox_oldest_unsent_age_seconds')).toMatch(
      / [0-9.]+$/m,
    );

    relay.start();
    await waitFor(
      'the deposit in the ledger',
      async () => (await ledgerOf(ledgerDb)).get(accountId)?.deposits === 1,
      { timeoutMs: 60_000 },
    );
    await waitFor('the outbox to drain', async () => (await store.backlog()).unsent === 0, {
      timeoutMs: 10_000,
    });
    expect(await metrics.getSingleMetricAsString('strata_outbox_unsent_events')).toContain(
      `{service="${service}"} 0`,
    );

    // The broker acked but the mark was lost (a crash between the two): the relay publishes again.
    await producerDb.em().execute('update outbox set sent_at = null', [], 'run');
    await waitFor('the redelivery to reach the consumer', () => outcomes.length >= 4, { timeoutMs: 60_000 });
    await relay.stop();

    expect((await ledgerOf(ledgerDb)).get(accountId)).toEqual({ total: 42, deposits: 1 });
    // AccountOpened has no handler here (skipped, twice); FundsDeposited handled once, then a duplicate.
    expect([...outcomes].sort()).toEqual(['duplicate', 'handled', 'skipped', 'skipped']);
  });
});
