import { Writable } from 'node:stream';
import { MemoryCache } from '@strata/cache';
import { catalogContract } from '@strata/catalog/contract';
import {
  createCommerceService,
  type CommerceService,
  type CommerceServiceOptions,
} from '@strata/commerce-service';
import { consumeInProcess, InProcessEventBroker } from '@strata/events';
import { learningContract } from '@strata/learning/contract';
import {
  createEngagementService,
  startEmbeddedLinkRedirect,
  type EngagementService,
  type RunningLinkRedirect,
} from '@strata/engagement-service';
import { createLearningService, type LearningService } from '@strata/learning-service';
import { orderingContract } from '@strata/ordering/contract';
import { MemoryFanOut } from '@strata/push';
import { createContractClient, inProcessInvoke, type ContractClient, type RpcRequest } from '@strata/rpc';
import { createLogger, JwtAccessTokenVerifier } from '@strata/runtime';
import {
  call as callUrl,
  listenOnFreePort,
  sqliteDataService,
  type Answer as CallAnswer,
  type CallOptions,
} from '@strata/runtime/test-support';
import { newId, systemClock, type Clock } from '@strata/shared-kernel';
import { generateKeyPair, SignJWT } from 'jose';
import { createLearnerApi, inProcessCourseEvents, inProcessNotificationEvents } from '../src/index.ts';
import { SimulatorPaymentProvider } from '@strata/payments';
import { startTestSimulator } from '@strata/payment-simulator/test-support';

const ISSUER = 'https://account-api.strata.test';
/** Where the harness says the gateway is reached from outside; shared links lead there. */
export const PUBLIC_API_URL = 'http://learn.strata.test';
const AUDIENCE = 'strata';
/** The secret learner-api verifies webhooks with unless a test says otherwise; a simulator shares it. */
export const WEBHOOK_SECRET = 'learner-api-test-webhook-secret-0123456789';
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export interface Harness {
  url: string;
  commerce: CommerceService;
  /** learning-service on its own SQLite file, on the same broker: grants come from ordering's events. */
  learning: LearningService;
  /** engagement-service (links) on its own SQLite file, on the same broker, with the short domain in front. */
  engagement: EngagementService;
  redirect: RunningLinkRedirect;
  /** The catalog as an instructor's app would drive it, straight to the same commerce-service. */
  catalog: ContractClient<typeof catalogContract>;
  /** Ordering straight to the same commerce-service: for what the checkout does (a paid order). */
  ordering: ContractClient<typeof orderingContract>;
  /** Learning straight to the same learning-service. */
  learningClient: ContractClient<typeof learningContract>;
  /** Every request learner-api sent to commerce-service, as the real handler received it. */
  commerceRequests: RpcRequest[];
  /** learner-api's log lines (info and up), parsed. */
  logLines: { level: number; msg: string; [field: string]: unknown }[];
  /** A token account-api would issue for this user, signed with the key the app trusts. */
  tokenFor(user: { userId: string; roles: string[] }): Promise<string>;
  /** Until every outbox row is published; the in-process publish resolves once consumers handled it. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * learner-api embedded: the real commerce-service handler on a fresh SQLite file, its consumers on
 * the in-process broker (ordering's offers come from the catalog's real events), a MemoryCache,
 * and real EdDSA access tokens. Tests publish the outbox with `commerce.relay.publishBatch()` or
 * `settled()`, which resolve once the events were handled.
 */
export async function startLearnerApi(
  options: { clock?: Clock; orderTerms?: CommerceServiceOptions['orderTerms']; webhookSecret?: string } = {},
): Promise<Harness> {
  const logLines: Harness['logLines'] = [];
  const logger = createLogger({
    service: 'learner-api',
    level: 'info',
    destination: new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          logLines.push(JSON.parse(line));
        done();
      },
    }),
  });
  const broker = new InProcessEventBroker();
  // commerce-service's checkout needs a real provider: a simulator process of the harness's own,
  // signing its webhooks with the secret learner-api verifies.
  const simulator = await startTestSimulator({
    PAYMENT_SIMULATOR_WEBHOOK_SECRET: options.webhookSecret ?? WEBHOOK_SECRET,
  });
  const running = await sqliteDataService(
    (serviceOptions) =>
      createCommerceService({
        ...serviceOptions,
        orderTerms: options.orderTerms,
        paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
      }),
    { broker, ...(options.clock === undefined ? {} : { clock: options.clock }) },
  );
  const commerce = running.service;
  const learningRunning = await sqliteDataService((serviceOptions) => createLearningService(serviceOptions), {
    broker,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const learning = learningRunning.service;
  const engagementRunning = await sqliteDataService(
    (serviceOptions) => createEngagementService({ ...serviceOptions, shortDomain: 'strata.link' }),
    { broker, ...(options.clock === undefined ? {} : { clock: options.clock }) },
  );
  const engagement = engagementRunning.service;
  const toEngagement = inProcessInvoke(engagement.handler);
  const redirect = await startEmbeddedLinkRedirect({
    service: 'engagement-service',
    engagement: toEngagement,
    broker,
    host: '127.0.0.1',
    port: 0,
    clock: options.clock ?? systemClock,
    logger,
  });
  const unsubscribes = [...commerce.consumers, ...learning.consumers, ...engagement.consumers].map(
    (consumer) => consumeInProcess(broker, consumer.topics, consumer.processor),
  );
  const toLearning = inProcessInvoke(learning.handler);
  const toCommerce = inProcessInvoke(commerce.handler);
  const commerceRequests: RpcRequest[] = [];
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const app = await createLearnerApi({
    commerce: (request, invokeOptions) => {
      commerceRequests.push(structuredClone(request));
      return toCommerce(request, invokeOptions);
    },
    learning: toLearning,
    engagement: toEngagement,
    links: { publicApiUrl: PUBLIC_API_URL, shortLinkUrl: redirect.url },
    accessTokens: new JwtAccessTokenVerifier({
      keys: async () => publicKey,
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
    }),
    paymentWebhook: {
      secret: options.webhookSecret ?? WEBHOOK_SECRET,
      toleranceSeconds: WEBHOOK_TOLERANCE_SECONDS,
    },
    cache: new MemoryCache({ maxEntries: 1_000 }),
    events: inProcessCourseEvents(broker),
    push: { fanOut: new MemoryFanOut(), events: inProcessNotificationEvents(broker) },
    logger,
  });
  return {
    url: await listenOnFreePort(app, 'learner-api'),
    commerce,
    learning,
    engagement,
    redirect,
    learningClient: createContractClient(learningContract, {
      service: 'learning-service',
      invoke: toLearning,
    }),
    catalog: createContractClient(catalogContract, { service: 'commerce-service', invoke: toCommerce }),
    ordering: createContractClient(orderingContract, { service: 'commerce-service', invoke: toCommerce }),
    commerceRequests,
    logLines,
    tokenFor: (user) =>
      new SignJWT({ roles: user.roles })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
        .setSubject(user.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    async settled() {
      // Either relay's events may make the other's (a payment grants, a certificate goes back to ordering).
      while (
        (await commerce.relay.publishBatch()) +
          (await learning.relay.publishBatch()) +
          (await engagement.relay.publishBatch()) >
        0
      );
    },
    async close() {
      await app.close();
      await redirect.stop();
      unsubscribes.forEach((unsubscribe) => unsubscribe());
      await running.stop();
      await learningRunning.stop();
      await engagementRunning.stop();
      await simulator.stop();
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  // Tests walk arbitrary JSON answers (problem members, course views); typing each shape adds nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function get(harness: Harness, path: string): Promise<Answer> {
  const response = await fetch(`${harness.url}${path}`);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

/** One request to the harness's app; see `call` in the runtime's test support. */
export function call(
  harness: Harness,
  method: string,
  path: string,
  options?: CallOptions,
): Promise<CallAnswer> {
  return callUrl(harness.url, method, path, options);
}

export type Caller = { userId: string; roles: string[] };
export const newLearner = (): Caller => ({ userId: newId(), roles: ['learner'] });
export const newInstructor = (): Caller => ({ userId: newId(), roles: ['learner', 'instructor'] });
export const price = (amount: number, currency = 'EUR') => ({ amount, currency });

/** A course drafted, given a lesson and a price, published, and its events handled (ordering has its offer). */
export async function publishedCourse(
  api: Harness,
  instructor: Caller,
  coursePrice: { amount: number; currency: string },
  title = 'Practical SQL',
): Promise<string> {
  const by = { caller: instructor };
  const course = await api.catalog.Course.draft({ title, description: `all about ${title}` }, by);
  await api.catalog.Course.addLesson(course.id, { title: 'Welcome' }, by);
  await api.catalog.Course.setPrice(course.id, { price: coursePrice }, by);
  await api.catalog.Course.publish(course.id, {}, by);
  await api.settled();
  return course.id;
}

/** POST /checkout as a learner's client sends it: a fresh Idempotency-Key unless one is given (null: none). */
export function checkout(
  api: Harness,
  token: string | null,
  courses: { courseId: string; expectedPrice: { amount: number; currency: string } }[],
  idempotencyKey: string | null = newId(),
): Promise<CallAnswer> {
  return call(api, 'POST', '/checkout', {
    ...(token === null ? {} : { token }),
    body: { courses },
    headers: idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey },
  });
}
