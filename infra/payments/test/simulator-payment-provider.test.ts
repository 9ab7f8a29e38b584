// The merchant side against the real payment simulator: its own process, real HTTP both ways, and
// a real webhook endpoint (node:http on a free port) whose deliveries go through verifyWebhook.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import {
  answerPayment,
  startSimulatorProcess,
  startWebhookReceiver,
  type SimulatorProcess,
  type WebhookReceiver,
} from '@strata/payment-simulator/test-support';
import { Money } from '@strata/shared-kernel';
import {
  PaymentProviderError,
  SimulatorPaymentProvider,
  verifyWebhook,
  type PaymentWebhookEvent,
} from '../src/index.ts';

// A child process and webhook round trips on a shared machine: a bound for a hung test, not a speed check.
jest.setTimeout(30_000);

const SECRET = `whsec_${randomBytes(16).toString('hex')}`;
const FLAKY = 'flaky-';

let receiver: WebhookReceiver;
let simulator: SimulatorProcess;
let provider: SimulatorPaymentProvider;

/** Every delivery so far for one payment, verified as the receiving application would. */
function deliveriesOf(paymentId: string) {
  return receiver.deliveries
    .map((delivery) => ({ delivery, verification: verifyWebhook({ ...delivery, secret: SECRET }) }))
    .filter(
      ({ delivery }) => (JSON.parse(delivery.rawBody) as PaymentWebhookEvent).data.payment.id === paymentId,
    );
}

function acceptedEvents(paymentId: string): PaymentWebhookEvent[] {
  return deliveriesOf(paymentId).flatMap(({ verification }) => (verification.ok ? [verification.event] : []));
}

async function newPayment(orderId = `order-${randomUUID()}`, amount = Money.of(4900, 'EUR')) {
  const created = await provider.createPayment({ orderId, amount, idempotencyKey: randomUUID() });
  return { ...created, orderId };
}

async function refusalOf(call: Promise<unknown>): Promise<PaymentProviderError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof PaymentProviderError))
    throw new Error(`expected a PaymentProviderError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  // Deliveries for orders named flaky-… are refused twice before the receiver takes them.
  receiver = await startWebhookReceiver((delivery) => {
    const event = JSON.parse(delivery.rawBody) as PaymentWebhookEvent;
    if (!event.data.payment.reference.startsWith(FLAKY)) return 200;
    const earlier = receiver.deliveries.filter(
      (seen) => (JSON.parse(seen.rawBody) as PaymentWebhookEvent).id === event.id,
    );
    return earlier.length < 2 ? 500 : 200;
  });
  simulator = await startSimulatorProcess({
    PAYMENT_SIMULATOR_WEBHOOK_URL: receiver.url,
    PAYMENT_SIMULATOR_WEBHOOK_SECRET: SECRET,
    PAYMENT_SIMULATOR_RETRY_BASE_MS: '50',
  });
  provider = new SimulatorPaymentProvider({ baseUrl: simulator.url });
});

afterAll(async () => {
  await simulator?.stop();
  await receiver?.close();
});

describe('a payment on the simulator', () => {
  it('is created pending with a payment page; approving it sends a signed payment.succeeded that verifies', async () => {
    const { paymentId, paymentPageUrl, orderId } = await newPayment();
    expect(paymentPageUrl).toBe(`${simulator.url}/pay/${paymentId}`);
    expect(await provider.getPayment(paymentId)).toMatchObject({
      paymentId,
      orderId,
      status: 'pending',
      refund: null,
    });

    await answerPayment(simulator.url, paymentId, 'approve');
    const event = await waitFor('payment.succeeded delivered', () => acceptedEvents(paymentId)[0]);

    expect(event).toMatchObject({
      type: 'payment.succeeded',
      data: {
        payment: { id: paymentId, status: 'succeeded', amount: 4900, currency: 'EUR', reference: orderId },
      },
    });
    expect(deliveriesOf(paymentId)[0]!.delivery.headers['simulator-signature']).toMatch(
      /^t=\d+,v1=[0-9a-f]{64}$/,
    );
    expect(await provider.getPayment(paymentId)).toMatchObject({
      status: 'succeeded',
      amount: { amount: 4900, currency: 'EUR' },
    });
  });

  it('is refused by the verifier when its body is tampered with, signed with another secret, or verified too late', async () => {
    const { paymentId } = await newPayment();
    await answerPayment(simulator.url, paymentId, 'approve');
    const { delivery, verification } = await waitFor('a delivery', () => deliveriesOf(paymentId)[0]);
    if (!verification.ok) throw new Error(`the real delivery was refused: ${verification.refusal.reason}`);

    const tampered = delivery.rawBody.replace('"status":"succeeded"', '"status":"refunded"');
    expect(tampered).not.toBe(delivery.rawBody);
    const refusal = (input: Parameters<typeof verifyWebhook>[0]) => {
      const result = verifyWebhook(input);
      return result.ok ? null : result.refusal.code;
    };
    expect(refusal({ ...delivery, rawBody: tampered, secret: SECRET })).toBe('webhook-signature-mismatch');
    expect(refusal({ ...delivery, secret: `${SECRET}x` })).toBe('webhook-signature-mismatch');
    const tooLate = new Date(verification.signedAt.getTime() + 61_000);
    expect(refusal({ ...delivery, secret: SECRET, toleranceSeconds: 60, now: tooLate })).toBe(
      'webhook-timestamp-stale',
    );
  });

  it('declined, sends payment.failed, and can no longer be approved', async () => {
    const { paymentId } = await newPayment();
    await answerPayment(simulator.url, paymentId, 'decline');
    const event = await waitFor('payment.failed delivered', () => acceptedEvents(paymentId)[0]);
    expect(event).toMatchObject({
      type: 'payment.failed',
      data: { payment: { id: paymentId, status: 'failed' } },
    });
    await expect(answerPayment(simulator.url, paymentId, 'approve')).rejects.toThrow(
      /409.*payment-not-pending/,
    );
    expect((await provider.getPayment(paymentId))?.status).toBe('failed');
  });

  it('is made once per idempotency key; the same key with another request is refused (422), not retryable', async () => {
    const key = randomUUID();
    const request = { orderId: `order-${randomUUID()}`, amount: Money.of(1200, 'USD'), idempotencyKey: key };
    const first = await provider.createPayment(request);
    const second = await provider.createPayment(request);
    expect(second).toEqual(first);

    const refusal = await refusalOf(provider.createPayment({ ...request, amount: Money.of(1300, 'USD') }));
    expect(refusal).toMatchObject({
      code: 'payment-provider-refused',
      retryable: false,
      status: 422,
      providerCode: 'idempotency-key-reused',
    });
  });

  it('is refunded in full: refund.succeeded follows by webhook; the refund key is idempotent too', async () => {
    const { paymentId } = await newPayment(undefined, Money.of(2500, 'GBP'));
    const early = await refusalOf(provider.refund({ paymentId, idempotencyKey: randomUUID() }));
    expect(early).toMatchObject({
      code: 'payment-provider-refused',
      status: 409,
      providerCode: 'payment-not-refundable',
    });

    await answerPayment(simulator.url, paymentId, 'approve');
    const key = randomUUID();
    const refund = await provider.refund({ paymentId, idempotencyKey: key });
    expect(refund.amount).toEqual({ amount: 2500, currency: 'GBP' });
    expect((await provider.refund({ paymentId, idempotencyKey: key })).refundId).toBe(refund.refundId);

    const refunded = await waitFor('refund.succeeded delivered', () =>
      acceptedEvents(paymentId).find((event) => event.type === 'refund.succeeded'),
    );
    expect(refunded.data.payment).toMatchObject({
      status: 'refunded',
      refund: { id: refund.refundId, status: 'succeeded' },
    });
    expect(await provider.getPayment(paymentId)).toMatchObject({
      status: 'refunded',
      refund: { refundId: refund.refundId },
    });

    const again = await refusalOf(provider.refund({ paymentId, idempotencyKey: randomUUID() }));
    expect(again).toMatchObject({ status: 409, providerCode: 'payment-already-refunded', retryable: false });
  });

  it('is delivered on the third attempt when the receiver answers 500 twice, retried by the simulator', async () => {
    const { paymentId } = await newPayment(`${FLAKY}${randomUUID()}`);
    await answerPayment(simulator.url, paymentId, 'approve');
    const event = await waitFor('payment.succeeded accepted after the retries', () =>
      deliveriesOf(paymentId).find(({ delivery }) => delivery.answered === 200),
    );

    const attempts = deliveriesOf(paymentId);
    expect(attempts.map(({ delivery }) => delivery.answered)).toEqual([500, 500, 200]);
    // Each attempt is signed afresh and verifies on its own; all carry the one event id.
    expect(attempts.every(({ verification }) => verification.ok)).toBe(true);
    expect(new Set(acceptedEvents(paymentId).map((accepted) => accepted.id)).size).toBe(1);
    expect(event.verification.ok && event.verification.event.type).toBe('payment.succeeded');

    const log = await waitFor('the third attempt logged', () => {
      const entries = simulator
        .logEntries()
        .filter((entry) => entry.payment === paymentId && entry.attempt !== undefined);
      return entries.some((entry) => entry.msg.includes('delivered on attempt 3')) && entries;
    });
    expect(log.filter((entry) => entry.msg.includes('answered 500')).map((entry) => entry.attempt)).toEqual([
      1, 2,
    ]);
  });
});

describe('the HTTP adapter', () => {
  it('answers null for a payment the provider does not know', async () => {
    expect(await provider.getPayment('pay_unknown')).toBeNull();
  });

  it('gives a final refusal with the provider code for a request the provider finds invalid', async () => {
    const refusal = await refusalOf(
      provider.createPayment({
        orderId: 'order-1',
        amount: { amount: 100, currency: 'euro' },
        idempotencyKey: randomUUID(),
      }),
    );
    expect(refusal).toMatchObject({
      code: 'payment-provider-refused',
      retryable: false,
      status: 400,
      providerCode: 'invalid-payment-request',
    });
  });

  it('gives a retryable error when the provider is unreachable, answers 5xx, or does not answer in time', async () => {
    const silent = await listen(createServer(() => undefined));
    const failing = await listen(
      createServer((_request, response) => {
        response
          .writeHead(503, { 'content-type': 'application/problem+json' })
          .end(JSON.stringify({ code: 'maintenance', detail: 'down for maintenance' }));
      }),
    );
    const closedPort = await listen(createServer());
    await close(closedPort.server);
    try {
      const request = { orderId: 'order-1', amount: Money.of(100, 'EUR'), idempotencyKey: randomUUID() };
      const unreachable = await refusalOf(
        new SimulatorPaymentProvider({ baseUrl: closedPort.url }).createPayment(request),
      );
      expect(unreachable).toMatchObject({
        code: 'payment-provider-unavailable',
        retryable: true,
        status: undefined,
      });
      expect(unreachable.message).toContain('unreachable');

      const down = await refusalOf(
        new SimulatorPaymentProvider({ baseUrl: failing.url }).createPayment(request),
      );
      expect(down).toMatchObject({
        code: 'payment-provider-unavailable',
        retryable: true,
        status: 503,
        providerCode: 'maintenance',
      });

      const slow = await refusalOf(
        new SimulatorPaymentProvider({ baseUrl: silent.url, timeoutMs: 200 }).getPayment('pay_1'),
      );
      expect(slow).toMatchObject({ code: 'payment-provider-unavailable', retryable: true });
      expect(slow.message).toContain('no answer within 200 ms');
    } finally {
      silent.server.closeAllConnections();
      await close(silent.server);
      await close(failing.server);
    }
  });
});

async function listen(server: Server): Promise<{ server: Server; url: string }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
