import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { MemoryCache } from '@strata/cache';
import { catalogContract } from '@strata/catalog/contract';
import { InProcessEventBroker } from '@strata/events';
import { orderingContract } from '@strata/ordering/contract';
import { MemoryFanOut } from '@strata/push';
import { webhookSignatureHeader } from '@strata/payments';
import {
  answerPayment,
  startSimulatorProcess,
  type SimulatorProcess,
} from '@strata/payment-simulator/test-support';
import { dropDatabase, uniqueService } from '@strata/persistence/test-support';
import { createLearningService, type LearningService } from '@strata/learning-service';
import {
  connectTcp,
  createContractClient,
  inProcessInvoke,
  type ContractClient,
  type RpcRequest,
} from '@strata/rpc';
import { createLogger, JwtAccessTokenVerifier } from '@strata/runtime';
import {
  absentDataService,
  bootMain,
  call,
  listenOnFreePort,
  sqliteDataService,
  type BootedService,
  type RunningDataService,
} from '@strata/runtime/test-support';
import { newId } from '@strata/shared-kernel';
import { generateKeyPair, SignJWT } from 'jose';
import { createLearnerApi, inProcessCourseEvents, inProcessNotificationEvents } from '../src/index.ts';
import { WEBHOOK_SECRET, WEBHOOK_TOLERANCE_SECONDS } from './support.ts';

/*
 * The whole buying path on real processes: the payment simulator, commerce-service's own main.ts
 * (MariaDB, Kafka, its provider at STRATA_PAYMENT_PROVIDER_URL) running the checkout saga, and
 * learner-api calling it over TCP, the simulator delivering its webhooks to learner-api. A refund
 * asks learning for certificates first (ADR 0036): learning-service runs in-process on SQLite,
 * where this learner has none.
 */

// Three processes start and Kafka consumer groups join; on a busy 2-core machine that takes seconds.
// A bound on a hung step, not a performance claim.
jest.setTimeout(120_000);

const commerceMain = fileURLToPath(
  new URL('../../../data-services/commerce-service/src/main.ts', import.meta.url),
);
const ISSUER = 'https://account-api.strata.test';
const AUDIENCE = 'strata';

describe('the payment webhook drives the checkout', () => {
  const schema = uniqueService('learner_checkout');
  const namespace = `t${newId().replaceAll('-', '').slice(0, 12)}`;
  let simulator: SimulatorProcess;
  let commerce: BootedService;
  let closeApp: () => Promise<void>;
  let url: string;
  let token: string;
  const learner = { userId: newId(), roles: ['learner'] };
  const requests: RpcRequest[] = [];
  let ordering: ContractClient<typeof orderingContract>;
  let catalog: ContractClient<typeof catalogContract>;
  let closeConnection: () => Promise<void>;
  let learning: RunningDataService<LearningService>;

  beforeAll(async () => {
    // Chaos on: every event is delivered twice, the copy held back until the payment's next event
    // was delivered (or the hold ran out), so duplicates and out-of-order deliveries are certain.
    simulator = await startSimulatorProcess({
      PAYMENT_SIMULATOR_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PAYMENT_SIMULATOR_CHAOS: 'on',
      PAYMENT_SIMULATOR_CHAOS_HOLD_MS: '10000',
    });
    commerce = await bootMain(commerceMain, {
      STRATA_DATABASE_SERVICE: schema,
      STRATA_MIGRATE: '1',
      STRATA_RPC_PLAINTEXT: '1',
      STRATA_REGISTRY: 'none',
      STRATA_EVENT_NAMESPACE: namespace,
      STRATA_DEPLOYMENT: namespace.slice(0, 16),
      STRATA_PAYMENT_PROVIDER_URL: simulator.url,
      // bootMain waits for the info line `serving on`.
      STRATA_LOG_LEVEL: 'info',
    });
    const connection = await connectTcp({ host: '127.0.0.1', port: commerce.port, tls: false });
    closeConnection = () => connection.close();
    const invoke = (request: RpcRequest) => {
      requests.push(structuredClone(request));
      return connection.call(request);
    };
    ordering = createContractClient(orderingContract, { service: 'commerce-service', invoke });
    catalog = createContractClient(catalogContract, { service: 'commerce-service', invoke });
    learning = await sqliteDataService(createLearningService);
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const app = await createLearnerApi({
      commerce: invoke,
      learning: inProcessInvoke(learning.service.handler),
      engagement: absentDataService('engagement-service', 'this suite follows payments, not links'),
      links: { publicApiUrl: 'http://learn.strata.test', shortLinkUrl: 'http://short.strata.test' },
      accessTokens: new JwtAccessTokenVerifier({
        keys: async () => publicKey,
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['EdDSA'],
      }),
      paymentWebhook: { secret: WEBHOOK_SECRET, toleranceSeconds: WEBHOOK_TOLERANCE_SECONDS },
      cache: new MemoryCache({ maxEntries: 100 }),
      events: inProcessCourseEvents(new InProcessEventBroker()),
      push: { fanOut: new MemoryFanOut(), events: inProcessNotificationEvents(new InProcessEventBroker()) },
      logger: createLogger({
        service: 'learner-api',
        level: 'silent',
        destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
      }),
    });
    url = await listenOnFreePort(app, 'learner-api');
    closeApp = () => app.close();
    token = await new SignJWT({ roles: learner.roles })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
      .setSubject(learner.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const pointed = await fetch(`${simulator.url}/v1/webhook-endpoint`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${url}/payments/webhook` }),
    });
    expect(pointed.status).toBe(200);
  });

  afterAll(async () => {
    await closeApp?.();
    await closeConnection?.();
    commerce?.child.kill('SIGTERM');
    await commerce?.exited;
    await simulator?.stop();
    await learning?.stop();
    await dropDatabase(schema);
  });

  /** A published course, once ordering's offer of it has arrived through Kafka; then an order for it. */
  async function placedOrder(amount: number): Promise<string> {
    const instructor = { caller: { userId: newId(), roles: ['learner', 'instructor'] } };
    const course = await catalog.Course.draft({ title: `Paid Course ${newId().slice(-6)}` }, instructor);
    await catalog.Course.addLesson(course.id, { title: 'Welcome' }, instructor);
    await catalog.Course.setPrice(course.id, { price: { amount, currency: 'EUR' } }, instructor);
    await catalog.Course.publish(course.id, {}, instructor);
    const body = { courses: [{ courseId: course.id, expectedPrice: { amount, currency: 'EUR' } }] };
    const placed = await waitFor(
      'ordering knows the course is on offer',
      async () => {
        const answer = await call(url, 'POST', '/checkout', {
          token,
          body,
          headers: { 'idempotency-key': newId() },
        });
        return answer.status === 201 ? answer : undefined;
      },
      { timeoutMs: 60_000, everyMs: 500 },
    );
    return placed.body.order.id as string;
  }

  /** GET /orders/:id until its checkout shows the payment page; the payment id is the page's last segment. */
  async function paymentOf(orderId: string): Promise<string> {
    const mine = await waitFor(
      'the checkout opened a payment',
      async () => {
        const answer = await call(url, 'GET', `/orders/${orderId}`, { token });
        return answer.status === 200 && answer.body.checkout?.paymentPageUrl ? answer : undefined;
      },
      { timeoutMs: 60_000, everyMs: 250 },
    );
    return decodeURIComponent(
      new URL(mine.body.checkout.paymentPageUrl as string).pathname.split('/').pop()!,
    );
  }

  it('takes a real delivery: the payer approves, the simulator calls the webhook, the order ends paid', async () => {
    const orderId = await placedOrder(4200);
    const paymentId = await paymentOf(orderId);
    await answerPayment(simulator.url, paymentId, 'approve');
    const delivered = await waitFor('the simulator delivered payment.succeeded', () =>
      simulator
        .logEntries()
        .find((entry) => entry['payment'] === paymentId && / delivered on attempt /.test(entry.msg)),
    );
    expect(delivered['status']).toBe(200);
    const paid = await waitFor(
      'the order is paid',
      async () => {
        const answer = await call(url, 'GET', `/orders/${orderId}`, { token });
        return answer.body.order.status === 'paid' ? answer : undefined;
      },
      { timeoutMs: 60_000, everyMs: 250 },
    );
    expect(paid.body.order.payment.paymentId).toBe(paymentId);
    const reports = requests.filter(
      (request) =>
        request.method === 'Checkout.reportPaymentEvent' &&
        (request.payload as { id: string }).id === orderId,
    );
    expect(reports.length).toBeGreaterThanOrEqual(1);
    expect(reports[0]!.metadata.caller?.roles).toEqual(['payment-provider']);
    expect(reports[0]!.metadata.idempotencyKey).toMatch(/^evt_/);
  });

  it('answers a duplicate delivery 200 and changes nothing twice; a tampered one 400 with the checkout as it was', async () => {
    const orderId = await placedOrder(4300);
    const paymentId = await paymentOf(orderId);
    await answerPayment(simulator.url, paymentId, 'approve');
    // Paid, and the checkout has heard so: what follows must change neither.
    await waitFor(
      'the order is paid and its checkout moved on',
      async () => {
        const mine = (await call(url, 'GET', `/orders/${orderId}`, { token })).body;
        return mine.order.status === 'paid' && mine.checkout.step === 'awaiting-enrollment';
      },
      { timeoutMs: 60_000, everyMs: 250 },
    );
    const before = await call(url, 'GET', `/orders/${orderId}`, { token });
    const payment = await (
      await fetch(`${simulator.url}/v1/payments/${encodeURIComponent(paymentId)}`)
    ).json();
    const rawBody = JSON.stringify({
      id: `evt_replayed_${newId()}`,
      type: 'payment.succeeded',
      created: Math.floor(Date.now() / 1000),
      data: { payment },
    });
    const signature = webhookSignatureHeader(WEBHOOK_SECRET, Math.floor(Date.now() / 1000), rawBody);
    const deliver = (body: string) =>
      call(url, 'POST', '/payments/webhook', {
        rawBody: body,
        headers: { 'simulator-signature': signature },
      });

    const first = await deliver(rawBody);
    const duplicate = await deliver(rawBody);
    expect([first.status, duplicate.status]).toEqual([200, 200]);
    const tampered = await deliver(rawBody.replace('"payment.succeeded"', '"payment.failed"'));
    expect(tampered.status).toBe(400);
    expect(tampered.body.reason).toBe('webhook-signature-mismatch');

    const after = await call(url, 'GET', `/orders/${orderId}`, { token });
    expect(after.body.order).toEqual(before.body.order);
    expect(after.body.checkout.step).toBe(before.body.checkout.step);
    const events = await ordering.Order.findByPayment({ paymentId }, { caller: learner });
    expect(events.items.map((order) => order.id)).toEqual([orderId]);
  });

  it('pays and refunds once when the provider repeats its events and delivers them out of order', async () => {
    const orderId = await placedOrder(4400);
    const paymentId = await paymentOf(orderId);
    await answerPayment(simulator.url, paymentId, 'approve');
    const orderStatus = async () => (await call(url, 'GET', `/orders/${orderId}`, { token })).body;
    await waitFor('the order is paid', async () => (await orderStatus()).order.status === 'paid', {
      timeoutMs: 60_000,
      everyMs: 250,
    });
    const refund = await call(url, 'POST', `/orders/${orderId}/refund`, { token });
    expect(refund.status).toBeLessThan(300);
    // The checkout hears of the refund from the order's event, a moment after the order has it.
    const refunded = await waitFor(
      'the order is refunded and its checkout has heard so',
      async () => {
        const mine = await orderStatus();
        return mine.order.status === 'refunded' && mine.checkout.step === 'refunded' ? mine : undefined;
      },
      { timeoutMs: 60_000, everyMs: 250 },
    );
    // The held copy of payment.succeeded arrives after refund.succeeded, and refund.succeeded's own
    // copy after its hold: four deliveries, each taken (200).
    const deliveries = await waitFor(
      'every event and its copy were delivered',
      () => {
        const delivered = simulator
          .logEntries()
          .filter((entry) => entry['payment'] === paymentId && / delivered on attempt /.test(entry.msg));
        return delivered.length >= 4 ? delivered : undefined;
      },
      { timeoutMs: 60_000, everyMs: 250 },
    );
    expect(deliveries.map((entry) => entry.msg.split(' ')[1])).toEqual([
      'payment.succeeded',
      'refund.succeeded',
      'payment.succeeded',
      'refund.succeeded',
    ]);
    expect(deliveries.every((entry) => entry['status'] === 200)).toBe(true);
    const after = await orderStatus();
    expect(after.order).toEqual(refunded.order);
    expect(after.checkout.step).toBe('refunded');
    const [order] = (await ordering.Order.findByPayment({ paymentId }, { caller: learner })).items;
    expect(order?.refund?.refundId).toEqual(refunded.order.refund.refundId);
  });

  it('answers 404 payment-order-unknown for a signed event about an order that does not exist', async () => {
    const rawBody = JSON.stringify({
      id: `evt_${newId()}`,
      type: 'payment.succeeded',
      created: Math.floor(Date.now() / 1000),
      data: {
        payment: {
          id: `pay_${newId()}`,
          status: 'succeeded',
          amount: 100,
          currency: 'EUR',
          reference: newId(),
          returnUrl: null,
          paymentPageUrl: `${simulator.url}/pay/x`,
          created: Math.floor(Date.now() / 1000),
          refund: null,
        },
      },
    });
    const answer = await call(url, 'POST', '/payments/webhook', {
      rawBody,
      headers: {
        'simulator-signature': webhookSignatureHeader(WEBHOOK_SECRET, Math.floor(Date.now() / 1000), rawBody),
      },
    });
    expect(answer.status).toBe(404);
    expect(answer.body.reason).toBe('payment-order-unknown');
  });
});
