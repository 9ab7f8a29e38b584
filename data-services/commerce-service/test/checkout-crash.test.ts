import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { catalogContract } from '@strata/catalog/contract';
import { replayTopic, topicFor, type DeliveredMessage } from '@strata/events';
import { jobQueuePrefix } from '@strata/jobs';
import { orderingContract, PAYMENT_PROVIDER_ACTOR } from '@strata/ordering/contract';
import { verifyWebhook } from '@strata/payments';
import { dropDatabase, uniqueService } from '@strata/persistence/test-support';
import { connectTcp, createContractClient, type ContractClient } from '@strata/rpc';
import { bootMain, type BootedService } from '@strata/runtime/test-support';
import { newId } from '@strata/shared-kernel';
import {
  answerPayment,
  startSimulatorProcess,
  startWebhookReceiver,
  type SimulatorProcess,
  type WebhookReceiver,
} from '@strata/payment-simulator/test-support';

// The fault the issue names: commerce-service dies after the provider's webhook was taken and
// before the order's confirmation ran. Real processes throughout: commerce-service's main.ts on
// MariaDB, BullMQ on Redis and Kafka; the payment simulator as its own process. The checkout's
// job queue is paused (as an operator would) so the process is killed exactly in that gap, not
// whenever a timer happens to allow.

jest.setTimeout(120_000);

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const SECRET = `whsec_${randomBytes(16).toString('hex')}`;
const deployment = `crash${randomBytes(3).toString('hex')}`;
const service = uniqueService('checkout_crash');
const namespace = deployment;
const redisUrl = 'redis://127.0.0.1:6379';
const learner = { userId: newId(), roles: ['learner'] };
const instructor = { userId: newId(), roles: ['learner', 'instructor'] };
const paymentProvider = { userId: PAYMENT_PROVIDER_ACTOR.userId, roles: [...PAYMENT_PROVIDER_ACTOR.roles] };

interface Commerce {
  booted: BootedService;
  catalog: ContractClient<typeof catalogContract>;
  ordering: ContractClient<typeof orderingContract>;
  close(): Promise<void>;
}

async function startCommerce(simulatorUrl: string): Promise<Commerce> {
  const booted = await bootMain(MAIN, {
    STRATA_DATABASE_SERVICE: service,
    STRATA_MIGRATE: '1',
    STRATA_RPC_PLAINTEXT: '1',
    STRATA_REGISTRY: 'none',
    STRATA_EVENT_NAMESPACE: namespace,
    STRATA_DEPLOYMENT: deployment,
    STRATA_PAYMENT_PROVIDER_URL: simulatorUrl,
  });
  const connection = await connectTcp({ host: '127.0.0.1', port: booted.port, tls: false });
  const invoke = (request: Parameters<typeof connection.call>[0]) => connection.call(request);
  return {
    booted,
    catalog: createContractClient(catalogContract, { service: 'commerce-service', invoke }),
    ordering: createContractClient(orderingContract, { service: 'commerce-service', invoke }),
    close: () => connection.close(),
  };
}

/** Every OrderPaid of `orderId` on ordering's topic, read from its start to its end. */
async function orderPaidCount(orderId: string): Promise<number> {
  let count = 0;
  await replayTopic({
    brokers: ['127.0.0.1:9092'],
    topic: topicFor('ordering', namespace),
    from: { offset: '0' },
    processor: {
      consumerGroup: `count-${newId()}`,
      async process(message: DeliveredMessage) {
        const envelope = JSON.parse(message.value.toString('utf8')) as { type: string; aggregateId: string };
        if (envelope.type === 'OrderPaid' && envelope.aggregateId === orderId) count += 1;
        return 'handled';
      },
    },
  });
  return count;
}

describe('checkout: commerce-service killed between the webhook and the confirmation', () => {
  let simulator: SimulatorProcess;
  let receiver: WebhookReceiver;
  let commerce: Commerce | undefined;
  const queue = new Queue('commerce-service', {
    prefix: jobQueuePrefix(deployment),
    connection: { url: redisUrl, maxRetriesPerRequest: null },
  });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    simulator = await startSimulatorProcess({
      PAYMENT_SIMULATOR_WEBHOOK_URL: receiver.url,
      PAYMENT_SIMULATOR_WEBHOOK_SECRET: SECRET,
    });
  });

  afterAll(async () => {
    await commerce?.close();
    commerce?.booted.child.kill('SIGKILL');
    await queue.obliterate({ force: true });
    await queue.close();
    await simulator?.stop();
    await receiver?.close();
    await dropDatabase(service);
  });

  it('ends with the order paid exactly once, one OrderPaid on the topic, after a restart', async () => {
    commerce = await startCommerce(simulator.url);
    const course = await commerce.catalog.Course.draft(
      { title: 'Crash-proof checkout', description: 'paid once, whatever happens' },
      { caller: instructor },
    );
    await commerce.catalog.Course.addLesson(course.id, { title: 'Welcome' }, { caller: instructor });
    await commerce.catalog.Course.setPrice(
      course.id,
      { price: { amount: 4_900, currency: 'EUR' } },
      { caller: instructor },
    );
    await commerce.catalog.Course.publish(course.id, {}, { caller: instructor });

    // The offer reaches ordering through Kafka; until then placing is refused as not on offer.
    const ordering = commerce.ordering;
    const placed = await waitFor(
      'the course is on offer to ordering',
      async () => {
        try {
          return await ordering.Order.place(
            { courses: [{ courseId: course.id, expectedPrice: { amount: 4_900, currency: 'EUR' } }] },
            { caller: learner, idempotencyKey: `place-${course.id}` },
          );
        } catch (error) {
          if ((error as { reason?: string }).reason === 'ordered-course-must-be-on-offer') return undefined;
          throw error;
        }
      },
      { timeoutMs: 30_000, everyMs: 200 },
    );
    const orderId = placed.order.id;
    const awaiting = await waitFor(
      'the checkout has a payment page',
      async () => {
        const checkout = await ordering.Checkout.get(orderId, { caller: learner }).catch(() => undefined);
        return checkout?.step === 'awaiting-payment' ? checkout : undefined;
      },
      { timeoutMs: 30_000, everyMs: 100 },
    );

    await queue.pause();
    await answerPayment(simulator.url, awaiting.paymentId!, 'approve');
    const delivery = await waitFor('the provider delivered payment.succeeded', () =>
      receiver.deliveries.find((each) => each.rawBody.includes('payment.succeeded')),
    );
    // What learner-api's receiver does: verify the signature over the raw body, then report.
    const verified = verifyWebhook({ headers: delivery.headers, rawBody: delivery.rawBody, secret: SECRET });
    if (!verified.ok) throw new Error(`the delivery does not verify: ${verified.refusal.reason}`);
    const { event } = verified;
    const report = {
      eventId: event.id,
      kind: 'payment-succeeded' as const,
      paymentId: event.data.payment.id,
      amount: { amount: event.data.payment.amount, currency: event.data.payment.currency },
      occurredAt: new Date(event.created * 1_000).toISOString(),
      refundId: null,
    };
    const taken = await ordering.Checkout.reportPaymentEvent(orderId, report, {
      caller: paymentProvider,
      idempotencyKey: event.id,
    });
    expect(taken.step).toBe('confirming-payment');
    expect(taken.pendingCommands.map((command) => command.type)).toEqual(['ConfirmOrderPayment']);
    expect((await ordering.Order.get(orderId, { caller: learner })).status).toBe('pending-payment');

    commerce.booted.child.kill('SIGKILL');
    await commerce.booted.exited;
    await commerce.close().catch(() => undefined);
    await queue.resume();
    commerce = await startCommerce(simulator.url);
    const restarted = commerce.ordering;

    const paid = await waitFor(
      'the order is paid after the restart',
      async () => {
        const order = await restarted.Order.get(orderId, { caller: learner });
        return order.status === 'paid' ? order : undefined;
      },
      { timeoutMs: 60_000, everyMs: 200 },
    );
    expect(paid.payment?.paymentId).toBe(report.paymentId);

    // The provider's duplicate delivery, reported again under the same and under a new key.
    await restarted.Checkout.reportPaymentEvent(orderId, report, {
      caller: paymentProvider,
      idempotencyKey: event.id,
    });
    await restarted.Checkout.reportPaymentEvent(orderId, report, {
      caller: paymentProvider,
      idempotencyKey: `${event.id}-again`,
    });
    const settled = await waitFor(
      'the checkout heard OrderPaid and has nothing left to send',
      async () => {
        const checkout = await restarted.Checkout.get(orderId, { caller: learner });
        return checkout.pendingCommands.length === 0 && checkout.step !== 'confirming-payment'
          ? checkout
          : undefined;
      },
      { timeoutMs: 30_000, everyMs: 200 },
    );
    expect(settled.step).toBe('awaiting-enrollment');
    expect((await restarted.Order.get(orderId, { caller: learner })).version).toBe(paid.version);
    await waitFor('OrderPaid is on the topic', async () => (await orderPaidCount(orderId)) > 0, {
      timeoutMs: 30_000,
      everyMs: 500,
    });
    expect(await orderPaidCount(orderId)).toBe(1);
  });
});
