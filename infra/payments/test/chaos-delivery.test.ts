// The simulator in chaos mode: every event is delivered twice, and a payment's earlier event comes
// again after its later one. Each delivery verifies; telling them apart is the receiver's inbox's job.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import {
  answerPayment,
  startSimulatorProcess,
  startWebhookReceiver,
  type SimulatorProcess,
  type WebhookReceiver,
} from '@strata/payment-simulator/test-support';
import { Money } from '@strata/shared-kernel';
import { SimulatorPaymentProvider, verifyWebhook, type PaymentWebhookEvent } from '../src/index.ts';

// The last event's copy waits out the hold before it goes: more than jest's default 5 s in all.
jest.setTimeout(30_000);

const SECRET = `whsec_${randomBytes(16).toString('hex')}`;

let receiver: WebhookReceiver;
let simulator: SimulatorProcess;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  simulator = await startSimulatorProcess({
    PAYMENT_SIMULATOR_WEBHOOK_URL: receiver.url,
    PAYMENT_SIMULATOR_WEBHOOK_SECRET: SECRET,
    PAYMENT_SIMULATOR_CHAOS: 'on',
    // Long enough that the held-back copy of payment.succeeded waits for refund.succeeded to be delivered.
    PAYMENT_SIMULATOR_CHAOS_HOLD_MS: '3000',
  });
});

afterAll(async () => {
  await simulator?.stop();
  await receiver?.close();
});

it('delivers each event twice and an earlier event after a later one; the verifier accepts every delivery', async () => {
  const provider = new SimulatorPaymentProvider({ baseUrl: simulator.url });
  const { paymentId } = await provider.createPayment({
    orderId: `order-${randomUUID()}`,
    amount: Money.of(990, 'EUR'),
    idempotencyKey: randomUUID(),
  });
  const received = () =>
    receiver.deliveries.map((delivery) => {
      const verification = verifyWebhook({ ...delivery, secret: SECRET });
      if (!verification.ok) throw new Error(`a chaos delivery was refused: ${verification.refusal.reason}`);
      return verification.event;
    });
  const ofType = (type: PaymentWebhookEvent['type']) =>
    received().filter((event) => event.data.payment.id === paymentId && event.type === type);

  await answerPayment(simulator.url, paymentId, 'approve');
  await waitFor('payment.succeeded delivered once', () => ofType('payment.succeeded').length === 1);
  await provider.refund({ paymentId, idempotencyKey: randomUUID() });
  await waitFor(
    'payment.succeeded and refund.succeeded each delivered twice',
    () => ofType('payment.succeeded').length === 2 && ofType('refund.succeeded').length === 2,
    { timeoutMs: 20_000 },
  );

  const events = received().filter((event) => event.data.payment.id === paymentId);
  expect(events.map((event) => event.type)).toEqual([
    'payment.succeeded',
    'refund.succeeded',
    // The earlier event again, after the later one: a receiver that trusted arrival order would
    // now believe the refunded payment succeeded.
    'payment.succeeded',
    'refund.succeeded',
  ]);
  // Duplicates are the same event (same id), so an inbox keyed on the id takes each once.
  expect(events[2]!.id).toBe(events[0]!.id);
  expect(events[3]!.id).toBe(events[1]!.id);
  expect(events[2]!.data.payment.status).toBe('succeeded');

  // The simulator logs a delivery once the receiver has answered it, so its line may trail the arrival.
  const duplicatesLogged = () =>
    simulator
      .logEntries()
      .filter((entry) => entry.payment === paymentId && entry.copy === 'duplicate')
      .map((entry) => entry.type);
  await waitFor('both duplicates logged', () => duplicatesLogged().length === 2);
  expect(duplicatesLogged()).toEqual(['payment.succeeded', 'refund.succeeded']);
});
