import { Writable } from 'node:stream';
import { MemoryCache } from '@strata/cache';
import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import { InProcessEventBroker } from '@strata/events';
import { createContractClient, inProcessInvoke, type ContractClient, type RpcRequest } from '@strata/rpc';
import { createLogger } from '@strata/runtime';
import { sqliteDataService, listenOnFreePort } from '@strata/runtime/test-support';
import { createLearnerApi, inProcessCourseEvents } from '../src/index.ts';
import { SimulatorPaymentProvider } from '@strata/payments';
import { startTestSimulator } from '@strata/payment-simulator/test-support';

export interface Harness {
  url: string;
  commerce: CommerceService;
  /** The catalog as an instructor's app would drive it, straight to the same commerce-service. */
  catalog: ContractClient<typeof catalogContract>;
  /** Every request learner-api sent to commerce-service, as the real handler received it. */
  commerceRequests: RpcRequest[];
  close(): Promise<void>;
}

/**
 * learner-api embedded: the real commerce-service handler on a fresh SQLite file, a MemoryCache,
 * and the in-process broker commerce-service's relay publishes course events to. Tests publish the
 * outbox with `commerce.relay.publishBatch()`, which resolves once learner-api handled the events.
 */
export async function startLearnerApi(): Promise<Harness> {
  const logger = createLogger({
    service: 'learner-api',
    level: 'warn',
    destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  const broker = new InProcessEventBroker();
  // commerce-service's checkout needs a real provider: a simulator process of the harness's own.
  const simulator = await startTestSimulator();
  const running = await sqliteDataService(
    (options) =>
      createCommerceService({
        ...options,
        paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
      }),
    { broker, logger },
  );
  const commerce = running.service;
  const toCommerce = inProcessInvoke(commerce.handler);
  const commerceRequests: RpcRequest[] = [];
  const app = await createLearnerApi({
    commerce: (request, options) => {
      commerceRequests.push(structuredClone(request));
      return toCommerce(request, options);
    },
    cache: new MemoryCache({ maxEntries: 1_000 }),
    events: inProcessCourseEvents(broker),
    logger,
  });
  return {
    url: await listenOnFreePort(app, 'learner-api'),
    commerce,
    catalog: createContractClient(catalogContract, { service: 'commerce-service', invoke: toCommerce }),
    commerceRequests,
    async close() {
      await app.close();
      await running.stop();
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
