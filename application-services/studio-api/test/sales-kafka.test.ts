import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stackEndpoints } from '@strata/dev-stack';
import { envelopeToMessage, KafkaEventBroker, type EventEnvelope } from '@strata/events';
import { createLogger } from '@strata/runtime';
import { newId } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { Redis } from 'ioredis';
import {
  kafkaOrderingEvents,
  orderingEventsTopic,
  rebuildSalesReadModel,
  RedisSalesReadModel,
  type RebuildProgress,
} from '../src/index.ts';
import { courseLine, orderPaid, orderPlaced, orderRefunded, paidOrder } from './order-events.ts';
import { call, newInstructor, startStudioApi, type Answer, type Harness } from './support.ts';

/*
 * Distributed mode's path on the real stack: envelopes published to Kafka under a namespace of this
 * run alone, consumed by studio-api's consumer group into the Redis read model (a key prefix of
 * this run alone), read through GET /sales; then the read model wiped and rebuilt by replaying the
 * topic, which must give the very same figures.
 */

// Kafka delivery is asynchronous: a figure is asked for until it shows, for up to 40 s of time (it
// was 160 asks 250 ms apart); the test's own bound is above the two waits and the rebuild.
const SETTLE = { timeoutMs: 40_000, everyMs: 250 };

describe('the sales read model fed from Kafka, and rebuilt by replay', () => {
  const namespace = `studio-sales-${newId().slice(-12)}`;
  const prefix = `strata-test:studio-sales-kafka:${newId()}:`;
  const consumerGroup = `${namespace}.studio-api.sales`;
  const redis = new Redis(stackEndpoints().redisUrl);
  const sales = new RedisSalesReadModel({ client: redis, prefix });
  const instructor = newInstructor();
  let publisher: KafkaEventBroker;
  let api: Harness;
  let token: string;

  const publish = (...envelopes: EventEnvelope[]) =>
    publisher.publish(
      envelopes.map((envelope) => envelopeToMessage(orderingEventsTopic(namespace), envelope)),
    );
  const salesNow = async (): Promise<Answer> => call(api, 'GET', '/sales', { token });

  beforeAll(async () => {
    publisher = new KafkaEventBroker({
      brokers: stackEndpoints().kafkaBrokers,
      clientId: 'studio-sales-test',
    });
    api = await startStudioApi({
      commerce: 'none',
      sales,
      orderingEvents: kafkaOrderingEvents({
        brokers: stackEndpoints().kafkaBrokers,
        clientId: 'studio-sales-test',
        logger: createLogger({ service: 'studio-api', level: 'silent' }),
        namespace,
      }),
      salesConsumerGroup: consumerGroup,
    });
    token = await api.tokenFor(instructor);
  });

  afterAll(async () => {
    await api?.close();
    await publisher?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('moves GET /sales as OrderPaid and OrderRefunded arrive, once per event id; a rebuild from the topic gives the same figures', async () => {
    const line = courseLine({ instructorId: instructor.userId, title: 'Kafka-Fed Sales' });
    const refunded = paidOrder([line]);
    const kept = paidOrder([{ ...line, price: { amount: 5_900, currency: 'USD' } }]);
    const paid = orderPaid(refunded);

    await publish(orderPlaced(refunded), paid, orderPaid(kept));
    const afterPaid = await waitFor('GET /sales to count two paid orders', salesNow, {
      ...SETTLE,
      done: (answer) => answer.body.courses?.[0]?.paidOrders === 2,
    });
    expect(afterPaid.body.courses).toEqual([
      {
        courseId: line.courseId,
        title: 'Kafka-Fed Sales',
        instructorId: instructor.userId,
        paidOrders: 2,
        refundedOrders: 0,
        revenue: [
          { amount: 4_900, currency: 'EUR' },
          { amount: 5_900, currency: 'USD' },
        ],
      },
    ]);

    // The same OrderPaid again (a redelivery), then the refund: one key, one partition, in this order,
    // so once the refund shows the redelivery has been handled too.
    await publish(paid, orderRefunded(refunded));
    const afterRefund = await waitFor('GET /sales to count the refund', salesNow, {
      ...SETTLE,
      done: (answer) => answer.body.courses?.[0]?.refundedOrders === 1,
    });
    const figures = afterRefund.body.courses;
    expect(figures).toEqual([
      {
        courseId: line.courseId,
        title: 'Kafka-Fed Sales',
        instructorId: instructor.userId,
        paidOrders: 2,
        refundedOrders: 1,
        revenue: [
          { amount: 0, currency: 'EUR' },
          { amount: 5_900, currency: 'USD' },
        ],
      },
    ]);

    await sales.clear();
    expect((await salesNow()).body.courses).toEqual([]);

    const progress: RebuildProgress[] = [];
    const outcome = await rebuildSalesReadModel({
      readModel: sales,
      brokers: stackEndpoints().kafkaBrokers,
      namespace,
      consumerGroup,
      progressEvery: 2,
      onProgress: (step) => progress.push(step),
    });
    expect(outcome).toEqual({
      read: 5,
      applied: 3,
      duplicates: 1,
      skipped: 1,
      failed: 0,
      courses: 1,
      failures: [],
    });
    expect(progress.map((step) => step.read)).toEqual([2, 4]);
    expect((await salesNow()).body.courses).toEqual(figures);

    // The operator's command does the same from the environment studio-api reads, and says so.
    const run = await rebuildCommand({
      STRATA_REDIS_URL: stackEndpoints().redisUrl,
      STRATA_REDIS_KEY_PREFIX: prefix,
      STRATA_KAFKA_BROKERS: stackEndpoints().kafkaBrokers.join(','),
      STRATA_EVENT_NAMESPACE: namespace,
      STRATA_SALES_CONSUMER_GROUP: consumerGroup,
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain(
      'Rebuilt: read 5 events: applied 3, already counted 1, not sales 1, failed 0; figures for 1 courses.',
    );
    expect((await salesNow()).body.courses).toEqual(figures);
  }, 120_000);

  it('refuses to rebuild on a bad environment, naming the variable (exit code 2)', async () => {
    const run = await rebuildCommand({ STRATA_REDIS_URL: 'http://not-redis' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('STRATA_REDIS_URL');
  });
});

const rebuildMain = fileURLToPath(new URL('../src/rebuild-sales-main.ts', import.meta.url));

/** `npm run studio:rebuild-sales` as an operator runs it, with this environment added. */
function rebuildCommand(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', '@strata/runtime/typescript', rebuildMain], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
