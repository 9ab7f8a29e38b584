// The simulator as an outside system: started as its own process, spoken to over HTTP only.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { startSimulatorProcess, startWebhookReceiver, type SimulatorProcess } from './support/index.ts';

// Child processes on a shared machine: a bound for a hung test, not a speed check.
jest.setTimeout(30_000);

const SECRET = randomBytes(16).toString('hex');

describe('starting the simulator', () => {
  it('refuses an invalid environment, naming each variable to fix', async () => {
    const start = startSimulatorProcess({
      PAYMENT_SIMULATOR_WEBHOOK_SECRET: 'short',
      PAYMENT_SIMULATOR_PORT: 'eighty',
      PAYMENT_SIMULATOR_CHAOS: 'maybe',
    });
    await expect(start).rejects.toThrow(/exited with 2/);
    const message = await start.catch((error: Error) => error.message);
    expect(message).toContain('PAYMENT_SIMULATOR_WEBHOOK_SECRET: must be at least 16 characters');
    expect(message).toMatch(/PAYMENT_SIMULATOR_PORT: .*number/);
    expect(message).toMatch(/PAYMENT_SIMULATOR_CHAOS: .*"on"\|"off"/);
  });

  it('logs where it serves as JSON, and stops on SIGTERM dropping the deliveries still waiting for a retry', async () => {
    const receiver = await startWebhookReceiver(() => 503);
    const simulator = await startSimulatorProcess({
      PAYMENT_SIMULATOR_WEBHOOK_URL: receiver.url,
      PAYMENT_SIMULATOR_WEBHOOK_SECRET: SECRET,
      PAYMENT_SIMULATOR_RETRY_BASE_MS: '600000',
    });
    try {
      expect(simulator.url).toBe(`http://127.0.0.1:${simulator.port}`);
      expect(simulator.logEntries()[0]).toMatchObject({
        service: 'payment-simulator',
        port: simulator.port,
        chaos: 'off',
      });
      const payment = await post(simulator, '/v1/payments', {
        amount: 100,
        currency: 'EUR',
        reference: 'order-1',
      });
      await post(simulator, `/v1/payments/${payment.body.id}/approve`);
      await waitFor('the first attempt refused', () => receiver.deliveries.length === 1);
      await waitFor('the retry scheduled', () =>
        simulator.logEntries().some((entry) => entry.msg.includes('retrying in')),
      );

      expect(await simulator.stop()).toBe(0);
      expect(simulator.logEntries().map((entry) => entry.msg)).toEqual(
        expect.arrayContaining([
          'SIGTERM received: stopping',
          'dropped 1 pending webhook delivery attempt(s) on stop (state is in memory)',
          'payment-simulator stopped',
        ]),
      );
    } finally {
      await simulator.stop();
      await receiver.close();
    }
  });
  it('stops when the process that started it is gone (its stdin ends), as under the platform supervisor', async () => {
    const simulator = await startSimulatorProcess({ PAYMENT_SIMULATOR_WEBHOOK_SECRET: SECRET });
    simulator.child.stdin!.end();
    await waitFor('the simulator stopping on its own', () =>
      simulator.logEntries().some((entry) => entry.msg === 'the supervisor is gone (stdin closed): stopping'),
    );
    await waitFor('the simulator exiting', () => simulator.child.exitCode !== null);
    expect(simulator.child.exitCode).toBe(0);
  });
});

describe('webhook delivery', () => {
  it('gives up after the configured number of attempts, and says so in its log', async () => {
    const receiver = await startWebhookReceiver(() => 503);
    const simulator = await startSimulatorProcess({
      PAYMENT_SIMULATOR_WEBHOOK_URL: receiver.url,
      PAYMENT_SIMULATOR_WEBHOOK_SECRET: SECRET,
      PAYMENT_SIMULATOR_DELIVERY_ATTEMPTS: '2',
      PAYMENT_SIMULATOR_RETRY_BASE_MS: '20',
    });
    try {
      const payment = await post(simulator, '/v1/payments', {
        amount: 100,
        currency: 'EUR',
        reference: 'order-2',
      });
      await post(simulator, `/v1/payments/${payment.body.id}/decline`);
      const gaveUp = await waitFor('the simulator giving up', () =>
        simulator.logEntries().find((entry) => entry.msg.includes('giving up')),
      );
      expect(gaveUp).toMatchObject({
        level: 50,
        type: 'payment.failed',
        attempt: 2,
        outcome: 'answered 503',
      });
      expect(receiver.deliveries.map((delivery) => delivery.answered)).toEqual([503, 503]);
    } finally {
      await simulator.stop();
      await receiver.close();
    }
  });
});

describe('the API and the payment page', () => {
  let simulator: SimulatorProcess;
  beforeAll(async () => {
    simulator = await startSimulatorProcess({ PAYMENT_SIMULATOR_WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => {
    await simulator?.stop();
  });

  it('shows a pending payment with Approve and Decline forms; a form answer redirects to the return URL', async () => {
    const returnUrl = 'https://shop.example/orders/order-7';
    const { body: payment } = await post(simulator, '/v1/payments', {
      amount: 1999,
      currency: 'EUR',
      reference: 'order-7',
      returnUrl,
    });

    const page = await fetch(payment.paymentPageUrl);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('€19.99');
    expect(html).toContain(`<form method="post" action="/v1/payments/${payment.id}/approve">`);
    expect(html).toContain(`<form method="post" action="/v1/payments/${payment.id}/decline">`);

    const answered = await fetch(`${simulator.url}/v1/payments/${payment.id}/decline`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=decline',
      redirect: 'manual',
    });
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toBe(returnUrl);
    const after = await (await fetch(payment.paymentPageUrl)).text();
    expect(after).toContain('<strong id="status">failed</strong>');
    expect(after).not.toContain('<form');
  });

  it('takes its webhook endpoint over the API when none was configured, and sends there from then on', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const endpoint = `${simulator.url}/v1/webhook-endpoint`;
      expect(await (await fetch(endpoint)).json()).toEqual({ url: null });
      const refused = await fetch(endpoint, {
        method: 'PUT',
        body: JSON.stringify({ url: 'ftp://example.org/hooks' }),
      });
      expect(await refused.json()).toMatchObject({ status: 400, code: 'invalid-webhook-endpoint' });

      const pointed = await fetch(endpoint, { method: 'PUT', body: JSON.stringify({ url: receiver.url }) });
      expect(await pointed.json()).toEqual({ url: receiver.url });
      const payment = await post(simulator, '/v1/payments', {
        amount: 500,
        currency: 'JPY',
        reference: 'order-8',
      });
      await post(simulator, `/v1/payments/${payment.body.id}/approve`);
      const delivery = await waitFor('the delivery to the new endpoint', () => receiver.deliveries[0]);
      expect(JSON.parse(delivery.rawBody)).toMatchObject({
        type: 'payment.succeeded',
        data: { payment: { id: payment.body.id } },
      });
      expect(delivery.headers['simulator-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    } finally {
      await receiver.close();
    }
  });

  it.each([
    [
      'a payment without an Idempotency-Key',
      'POST',
      '/v1/payments',
      { amount: 1, currency: 'EUR', reference: 'o' },
      {},
      400,
      'idempotency-key-required',
    ],
    [
      'a body that is not JSON',
      'POST',
      '/v1/payments',
      'not json',
      { 'idempotency-key': 'k' },
      400,
      'body-not-json',
    ],
    [
      'a zero amount',
      'POST',
      '/v1/payments',
      { amount: 0, currency: 'EUR', reference: 'o' },
      { 'idempotency-key': 'k' },
      400,
      'invalid-payment-request',
    ],
    ['an unknown payment', 'GET', '/v1/payments/pay_nope', undefined, {}, 404, 'payment-not-found'],
    ['an unknown route', 'GET', '/v2/everything', undefined, {}, 404, 'route-not-found'],
    ['a wrong method', 'DELETE', '/v1/payments', undefined, {}, 405, 'method-not-allowed'],
    [
      'a wrong method on the endpoint',
      'POST',
      '/v1/webhook-endpoint',
      undefined,
      {},
      405,
      'method-not-allowed',
    ],
  ])(
    'refuses %s with problem+json and a stable code',
    async (_what, method, path, body, headers, status, code) => {
      const response = await fetch(`${simulator.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ status, code });
    },
  );
});

async function post(simulator: SimulatorProcess, path: string, body?: unknown) {
  const response = await fetch(`${simulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return { status: response.status, body: (await response.json()) as { id: string; paymentPageUrl: string } };
}
