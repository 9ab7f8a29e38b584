import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import { stackEndpoints } from '@strata/dev-stack';
import { KafkaEventBroker, KafkaEventConsumer } from '@strata/events';
import { BullMqJobs } from '@strata/jobs';
import { orderingContract } from '@strata/ordering/contract';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { SimulatorPaymentProvider } from '@strata/payments';
import { dropDatabase, mysqlDatabase, uniqueService } from '@strata/persistence/test-support';
import { createContractClient, inProcessInvoke } from '@strata/rpc';
import { recordingLogger } from '@strata/runtime/test-support';
import { newId, systemClock } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { deadlineJobId } from '../src/ordering/checkout-runner.ts';

// Distributed as main.ts composes it: MariaDB, Kafka between relay and consumers, BullMQ on Redis.
// Kafka's group joins take seconds; a bound on a hung run, not a performance claim.
jest.setTimeout(120_000);

const simulator = usePaymentSimulator();
const { kafkaBrokers, redisUrl } = stackEndpoints();
const schema = uniqueService('checkout_restart');
const namespace = `restart${newId().slice(-8)}`;
const prefix = `strata-test-checkout-${newId().slice(-12)}`;
const admin = { userId: newId(), roles: ['admin'] };
const instructor = { userId: newId(), roles: ['learner', 'instructor'] };
const PRICE = { amount: 1900, currency: 'EUR' };
// Long enough to place the order and stop the instance before it ends; short enough to wait for.
const PAYMENT_WINDOW_MS = 8_000;

/** One commerce-service instance on the shared schema, topics and queue. */
async function startInstance(): Promise<{ service: CommerceService; stop(): Promise<void> }> {
  const broker = new KafkaEventBroker({ brokers: kafkaBrokers, clientId: 'checkout-restart' });
  const service = await createCommerceService({
    database: mysqlDatabase(schema),
    clock: systemClock,
    broker,
    eventNamespace: namespace,
    logger: recordingLogger(),
    jobs: () => new BullMqJobs({ redisUrl, prefix, queue: 'commerce-service' }),
    orderTerms: { paymentWindowMs: PAYMENT_WINDOW_MS, refundWindowMs: 14 * 24 * 3_600_000 },
    paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
  });
  const consumers = service.consumers.map(
    (consumer) =>
      new KafkaEventConsumer({
        brokers: kafkaBrokers,
        clientId: 'checkout-restart',
        topics: [...consumer.topics],
        processor: consumer.processor,
      }),
  );
  for (const consumer of consumers) await consumer.start();
  service.relay.start();
  await service.jobs.start();
  return {
    service,
    async stop() {
      for (const consumer of consumers) await consumer.stop();
      await service.close();
      await broker.close();
    },
  };
}

const clientsOf = (service: CommerceService) => {
  const invoke = inProcessInvoke(service.handler);
  return {
    catalog: createContractClient(catalogContract, { service: 'commerce-service', invoke }),
    ordering: createContractClient(orderingContract, { service: 'commerce-service', invoke }),
  };
};

describe('a checkout’s expiry job across a restart of commerce-service (MariaDB, Kafka, BullMQ)', () => {
  const redis = new Redis(redisUrl);

  beforeAll(async () => {
    await dropDatabase(schema);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await dropDatabase(schema);
  });

  it('fires in the instance started after the one that scheduled it, and expires the unpaid order once', async () => {
    const first = await startInstance();
    const { catalog, ordering } = clientsOf(first.service);
    const course = await catalog.Course.draft({ title: 'Restartable checkouts' }, { caller: instructor });
    await catalog.Course.addLesson(course.id, { title: 'Welcome' }, { caller: instructor });
    await catalog.Course.setPrice(course.id, { price: PRICE }, { caller: instructor });
    await catalog.Course.publish(course.id, {}, { caller: instructor });
    const learner = { userId: newId(), roles: ['learner'] };
    // The offer arrives from the catalog's events over Kafka: placing works once it has.
    const placed = await waitFor(
      'the course on offer to ordering',
      () =>
        ordering.Order.place(
          { courses: [{ courseId: course.id, expectedPrice: PRICE }] },
          { caller: learner },
        ).catch(() => undefined),
      { timeoutMs: 60_000, everyMs: 250 },
    );
    const orderId = placed.order.id;
    const awaiting = await waitFor(
      'the checkout awaiting payment',
      async () => {
        const view = await ordering.Checkout.get(orderId, { caller: admin }).catch(() => undefined);
        return view?.step === 'awaiting-payment' ? view : undefined;
      },
      { timeoutMs: 60_000, everyMs: 100 },
    );
    await first.stop();

    const expiryJob = `${prefix}:commerce-service:${deadlineJobId(orderId, Date.parse(awaiting.deadline!))}`;
    expect(await redis.exists(expiryJob)).toBe(1);
    const second = await startInstance();
    try {
      const after = clientsOf(second.service).ordering;
      const expired = await waitFor(
        'the order expired',
        async () => {
          const order = await after.Order.get(orderId, { caller: admin });
          return order.status === 'expired' ? order : undefined;
        },
        { timeoutMs: 60_000, everyMs: 200 },
      );
      const checkout = await waitFor(
        'the checkout expired',
        async () => {
          const view = await after.Checkout.get(orderId, { caller: admin });
          return view.step === 'expired' ? view : undefined;
        },
        { timeoutMs: 60_000, everyMs: 200 },
      );

      expect(expired.expiredAt).not.toBeNull();
      expect(checkout).toMatchObject({ deadline: null, pendingCommands: [] });
      const events = await second.service.database
        .em()
        .execute<{ event_type: string }[]>(
          'select event_type from outbox where aggregate_id = ? order by sequence',
          [orderId],
        );
      expect(events.map((row) => row.event_type)).toEqual(['OrderPlaced', 'OrderExpired']);
    } finally {
      await second.stop();
    }
  });
});
