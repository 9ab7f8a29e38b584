import { Writable } from 'node:stream';
import { createCommerceService } from '@strata/commerce-service';
import { consumeInProcess, InProcessEventBroker } from '@strata/events';
import {
  createEngagementService,
  startEmbeddedLinkRedirect,
  type RunningLinkRedirect,
} from '@strata/engagement-service';
import { createLearningService } from '@strata/learning-service';
import { inProcessInvoke, type Invoke, type RpcRequest } from '@strata/rpc';
import { createLogger, JwtAccessTokenVerifier } from '@strata/runtime';
import {
  absentDataService,
  sqliteDataService,
  call as callUrl,
  listenOnFreePort,
  type Answer,
  type CallOptions,
} from '@strata/runtime/test-support';
import { newId, systemClock } from '@strata/shared-kernel';
import { generateKeyPair, SignJWT } from 'jose';
import {
  createStudioApi,
  inProcessOrderingEvents,
  MemorySalesReadModel,
  type OrderingEventFeed,
  type SalesReadModel,
} from '../src/index.ts';
import { SimulatorPaymentProvider } from '@strata/payments';
import { startTestSimulator } from '@strata/payment-simulator/test-support';

const ISSUER = 'https://account-api.strata.test';
const AUDIENCE = 'strata';

export interface Harness {
  url: string;
  /** Every request studio-api sent to commerce-service, as the real handler received it. */
  commerceRequests: RpcRequest[];
  /** The sales read model the app answers from (memory unless the test handed another). */
  sales: SalesReadModel;
  /** The in-process broker the app consumes ordering's events from, unless the test handed a feed. */
  broker: InProcessEventBroker;
  /** The short domain over the same engagement-service (none when `engagement` is 'none'). */
  redirect: RunningLinkRedirect | undefined;
  /** Until engagement-service's outbox is published (link events reach the redirect's cache). */
  settled(): Promise<void>;
  /** A token account-api would issue for this user, signed with the key the app trusts. */
  tokenFor(user: { userId: string; roles: string[] }): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  sales?: SalesReadModel;
  orderingEvents?: OrderingEventFeed;
  salesConsumerGroup?: string;
  /**
   * 'none' for suites that never reach commerce-service (the sales routes answer from the read
   * model alone): every call to it then fails UNAVAILABLE, so a route that did call would show.
   */
  commerce?: 'sqlite' | 'none';
  /** 'none' runs no engagement-service: the links routes then answer 503. */
  engagement?: 'sqlite' | 'none';
}

/** Where the harness says the gateway is reached from outside; campaign links lead there. */
export const PUBLIC_API_URL = 'http://learn.strata.test';

/**
 * studio-api over the real commerce-service handler on a fresh SQLite file, verifying real EdDSA
 * tokens; the sales read model in memory fed by an in-process broker, unless the test hands its own.
 */
export async function startStudioApi(options: HarnessOptions = {}): Promise<Harness> {
  const logger = createLogger({
    service: 'studio-api',
    level: 'warn',
    destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  // commerce-service's checkout needs a real provider: a simulator process of the harness's own.
  const simulator = options.commerce === 'none' ? undefined : await startTestSimulator();
  const commerce =
    simulator === undefined
      ? undefined
      : await sqliteDataService((serviceOptions) =>
          createCommerceService({
            ...serviceOptions,
            paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
          }),
        );
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const toCommerce: Invoke =
    commerce === undefined
      ? absentDataService('commerce-service', 'the suite runs studio-api alone')
      : inProcessInvoke(commerce.service.handler);
  // learning-service beside commerce-service, so the instructors' learning figures come from a real one.
  const learning =
    commerce === undefined
      ? undefined
      : await sqliteDataService((serviceOptions) => createLearningService(serviceOptions));
  const toLearning: Invoke =
    learning === undefined
      ? absentDataService('learning-service', 'the suite runs studio-api alone')
      : inProcessInvoke(learning.service.handler);
  const commerceRequests: RpcRequest[] = [];
  const broker = new InProcessEventBroker();
  // engagement-service on its own SQLite file, its consumer (the visit rollup) and the short domain
  // on the harness's broker, as `npm start` runs them: visits through the redirect reach the rollup.
  const engagement =
    options.engagement === 'none'
      ? undefined
      : await sqliteDataService(
          (serviceOptions) => createEngagementService({ ...serviceOptions, shortDomain: 'strata.link' }),
          { broker },
        );
  const unhost =
    engagement === undefined
      ? []
      : engagement.service.consumers.map((consumer) =>
          consumeInProcess(broker, consumer.topics, consumer.processor),
        );
  const toEngagement: Invoke =
    engagement === undefined
      ? absentDataService('engagement-service', 'the suite runs no engagement-service')
      : inProcessInvoke(engagement.service.handler);
  const redirect =
    engagement === undefined
      ? undefined
      : await startEmbeddedLinkRedirect({
          service: 'engagement-service',
          engagement: toEngagement,
          broker,
          host: '127.0.0.1',
          port: 0,
          clock: systemClock,
          logger,
        });
  const sales = options.sales ?? new MemorySalesReadModel();
  const app = await createStudioApi({
    commerce: (request, options) => {
      commerceRequests.push(structuredClone(request));
      return toCommerce(request, options);
    },
    accessTokens: new JwtAccessTokenVerifier({
      keys: async () => publicKey,
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
    }),
    learning: toLearning,
    engagement: toEngagement,
    links: { publicApiUrl: PUBLIC_API_URL, shortLinkUrl: redirect?.url ?? 'http://127.0.0.1:1' },
    sales,
    orderingEvents: options.orderingEvents ?? inProcessOrderingEvents(broker),
    ...(options.salesConsumerGroup === undefined ? {} : { salesConsumerGroup: options.salesConsumerGroup }),
    logger,
  });
  return {
    url: await listenOnFreePort(app, 'studio-api'),
    commerceRequests,
    sales,
    broker,
    redirect,
    async settled() {
      while (engagement !== undefined && (await engagement.service.relay.publishBatch()) > 0);
    },
    tokenFor: (user) =>
      new SignJWT({ roles: user.roles })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
        .setSubject(user.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey),
    async close() {
      await app.close();
      await redirect?.stop();
      unhost.forEach((unsubscribe) => unsubscribe());
      await engagement?.stop();
      await commerce?.stop();
      await learning?.stop();
      await simulator?.stop();
    },
  };
}

export type { Answer };

/** One request to the harness's app; see `call` in the runtime's test support. */
export function call(harness: Harness, method: string, path: string, options?: CallOptions): Promise<Answer> {
  return callUrl(harness.url, method, path, options);
}

export const newInstructor = () => ({ userId: newId(), roles: ['learner', 'instructor'] });
export const newLearner = () => ({ userId: newId(), roles: ['learner'] });
export const newAdmin = () => ({ userId: newId(), roles: ['admin'] });

/** studio-api and a token for a new instructor, as most suites begin. */
export async function startStudioApiForInstructor(): Promise<{ api: Harness; token: string }> {
  const api = await startStudioApi();
  return { api, token: await api.tokenFor(newInstructor()) };
}
