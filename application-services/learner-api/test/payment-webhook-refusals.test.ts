import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { webhookSignatureHeader } from '@strata/payments';
import {
  startSimulatorProcess,
  startWebhookReceiver,
  answerPayment,
  type ReceivedDelivery,
  type SimulatorProcess,
  type WebhookReceiver,
} from '@strata/payment-simulator/test-support';
import { newId } from '@strata/shared-kernel';
import {
  call,
  checkout,
  newInstructor,
  newLearner,
  price,
  publishedCourse,
  startLearnerApi,
  WEBHOOK_SECRET,
  type Harness,
} from './support.ts';

// Two simulator processes start here; on a busy 2-core machine that can take seconds. A bound on a
// hung child, not a performance claim.
jest.setTimeout(60_000);

/** Opens a payment on the simulator for the order, as the checkout does, and approves it as the payer. */
async function payOnSimulator(simulatorUrl: string, orderId: string, amount: number): Promise<string> {
  const response = await fetch(`${simulatorUrl}/v1/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': newId() },
    body: JSON.stringify({ amount, currency: 'EUR', reference: orderId }),
  });
  expect(response.status).toBe(201);
  const payment = (await response.json()) as { id: string };
  await answerPayment(simulatorUrl, payment.id, 'approve');
  return payment.id;
}

/**
 * Deliveries learner-api must not believe, each answered 400 (or 404) problem+json with a stable
 * code, logged at warn with the reason, and changing nothing: no call reaches the checkout and the
 * order stays as it was. The signed deliveries are the simulator's own, captured on their way.
 */
describe('POST /payments/webhook refuses what it cannot believe, and changes nothing', () => {
  let api: Harness;
  let simulator: SimulatorProcess;
  let capture: WebhookReceiver;
  let genuine: ReceivedDelivery;
  let orderId: string;
  let learner: { userId: string; roles: string[] };

  beforeAll(async () => {
    api = await startLearnerApi();
    capture = await startWebhookReceiver();
    simulator = await startSimulatorProcess({
      PAYMENT_SIMULATOR_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PAYMENT_SIMULATOR_WEBHOOK_URL: capture.url,
    });
    const course = await publishedCourse(api, newInstructor(), price(3100));
    learner = newLearner();
    const placed = await checkout(api, await api.tokenFor(learner), [
      { courseId: course, expectedPrice: price(3100) },
    ]);
    expect(placed.status).toBe(201);
    orderId = placed.body.order.id;
    await payOnSimulator(simulator.url, orderId, 3100);
    genuine = await waitFor('the simulator delivered payment.succeeded', () => capture.deliveries[0]);
  });

  afterAll(async () => {
    await simulator?.stop();
    await capture?.close();
    await api?.close();
  });

  const deliver = (rawBody: string, headers: Record<string, string>) =>
    call(api, 'POST', '/payments/webhook', {
      rawBody,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const signed = (rawBody: string, unixSeconds = Math.floor(Date.now() / 1000), secret = WEBHOOK_SECRET) =>
    deliver(rawBody, { 'simulator-signature': webhookSignatureHeader(secret, unixSeconds, rawBody) });
  const checkoutCalls = () =>
    api.commerceRequests.filter((request) => request.method.startsWith('Checkout.'));

  /** The refusal as the provider and the operator see it, and proof that nothing moved. */
  async function expectRefused(
    answer: Promise<{ status: number; contentType: string | null; body: { reason?: string } }>,
    status: number,
    code: string,
  ) {
    const before = await api.ordering.Order.get(orderId, { caller: learner });
    const checkoutCallsBefore = checkoutCalls().length;
    const logged = api.logLines.length;
    const refused = await answer;
    expect({ status: refused.status, contentType: refused.contentType, reason: refused.body.reason }).toEqual(
      {
        status,
        contentType: 'application/problem+json',
        reason: code,
      },
    );
    expect(checkoutCalls()).toHaveLength(checkoutCallsBefore);
    expect(await api.ordering.Order.get(orderId, { caller: learner })).toEqual(before);
    const warnings = api.logLines.slice(logged).filter((line) => line.level === 40);
    expect(warnings.map((line) => [line['code'], typeof line['reason']])).toEqual([[code, 'string']]);
    expect(JSON.stringify(api.logLines)).not.toContain(WEBHOOK_SECRET);
  }

  it('captured a genuine delivery signed the way the verifier expects', () => {
    expect(genuine.headers['simulator-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(JSON.parse(genuine.rawBody)).toMatchObject({
      type: 'payment.succeeded',
      data: { payment: { reference: orderId, amount: 3100, currency: 'EUR' } },
    });
  });

  it('refuses a delivery without the signature header: 400 webhook-signature-missing', async () => {
    await expectRefused(deliver(genuine.rawBody, {}), 400, 'webhook-signature-missing');
  });

  it('refuses a signature header of the wrong shape: 400 webhook-signature-malformed', async () => {
    await expectRefused(
      deliver(genuine.rawBody, { 'simulator-signature': 'sha256=abc' }),
      400,
      'webhook-signature-malformed',
    );
  });

  it('refuses a tampered body under the genuine signature: 400 webhook-signature-mismatch', async () => {
    const tampered = genuine.rawBody.replace('"amount":3100', '"amount":1');
    expect(tampered).not.toBe(genuine.rawBody);
    await expectRefused(
      deliver(tampered, { 'simulator-signature': String(genuine.headers['simulator-signature']) }),
      400,
      'webhook-signature-mismatch',
    );
  });

  it('refuses a body re-serialised after signing (the bytes differ): 400 webhook-signature-mismatch', async () => {
    const reformatted = JSON.stringify(JSON.parse(genuine.rawBody), null, 2);
    await expectRefused(
      deliver(reformatted, { 'simulator-signature': String(genuine.headers['simulator-signature']) }),
      400,
      'webhook-signature-mismatch',
    );
  });

  it('refuses a delivery signed with another secret: 400 webhook-signature-mismatch', async () => {
    await expectRefused(
      signed(genuine.rawBody, Math.floor(Date.now() / 1000), 'another-secret-of-32-characters!'),
      400,
      'webhook-signature-mismatch',
    );
  });

  it('refuses a replay signed outside the tolerance, either way: webhook-timestamp-stale / -in-future', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(signed(genuine.rawBody, now - 301 - 60), 400, 'webhook-timestamp-stale');
    await expectRefused(signed(genuine.rawBody, now + 301 + 60), 400, 'webhook-timestamp-in-future');
  });

  it('refuses a signed body that is not JSON, or not a payment event: 400 webhook-body-malformed', async () => {
    await expectRefused(signed('{"id": "evt_1", "type":'), 400, 'webhook-body-malformed');
    await expectRefused(
      signed(JSON.stringify({ id: 'evt_2', type: 'charge.created' })),
      400,
      'webhook-body-malformed',
    );
  });

  it('refuses a genuine event for a payment that is no order of ours: 404 payment-order-unknown', async () => {
    const event = JSON.parse(genuine.rawBody) as { data: { payment: { reference: string } } };
    event.data.payment.reference = 'invoice-2026-0042';
    await expectRefused(signed(JSON.stringify(event)), 404, 'payment-order-unknown');
  });

  it('refuses a real simulator delivery signed with a secret learner-api does not share', async () => {
    const stranger = await startSimulatorProcess({
      PAYMENT_SIMULATOR_WEBHOOK_SECRET: 'a-secret-learner-api-never-saw-0000',
      PAYMENT_SIMULATOR_WEBHOOK_URL: `${api.url}/payments/webhook`,
      PAYMENT_SIMULATOR_DELIVERY_ATTEMPTS: '1',
    });
    try {
      const before = await api.ordering.Order.get(orderId, { caller: learner });
      const checkoutCallsBefore = checkoutCalls().length;
      const paymentId = await payOnSimulator(stranger.url, orderId, 3100);
      const gaveUp = await waitFor('the simulator gave up on its refused delivery', () =>
        stranger.logEntries().find((entry) => entry['payment'] === paymentId && /giving up/.test(entry.msg)),
      );
      expect(gaveUp['outcome']).toBe('answered 400');
      const refusal = api.logLines.find(
        (line) =>
          line.level === 40 && line['code'] === 'webhook-signature-mismatch' && line.msg.includes('refused'),
      );
      expect(refusal).toBeDefined();
      expect(checkoutCalls()).toHaveLength(checkoutCallsBefore);
      expect(await api.ordering.Order.get(orderId, { caller: learner })).toEqual(before);
    } finally {
      await stranger.stop();
    }
  });

  it('keeps the body limit small: an oversized delivery is 413 before anything is read', async () => {
    const answer = await signed(JSON.stringify({ padding: 'x'.repeat(100_000) }));
    expect(answer.status).toBe(413);
    expect(answer.body.reason).toBe('body-too-large');
  });
});
