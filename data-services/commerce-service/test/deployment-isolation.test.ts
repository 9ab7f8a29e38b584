import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import { stackEndpoints } from '@strata/dev-stack';
import { KafkaEventBroker, KafkaEventConsumer, topicFor, type MessageProcessor } from '@strata/events';
import { createContractClient, inProcessInvoke } from '@strata/rpc';
import { newId, systemClock } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { dropDatabase, mysqlDatabase, uniqueService } from '@strata/persistence/test-support';
import { recordingLogger } from '@strata/runtime/test-support';
import { SimulatorPaymentProvider } from '@strata/payments';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';

// commerce-service's checkout needs a real provider; this file's simulator process is it.
const simulator = usePaymentSimulator();

const instructor = { userId: newId(), roles: ['learner', 'instructor'] };

/** One deployment on the shared stack: its own schema and event namespace, a relay, a consumer group. */
interface Deployment {
  name: string;
  service: string;
  commerce: CommerceService;
  broker: KafkaEventBroker;
  consumer: KafkaEventConsumer;
  /** Aggregate ids of every catalog event this deployment's consumer received. */
  seen: string[];
}

async function startDeployment(name: string): Promise<Deployment> {
  const brokers = stackEndpoints().kafkaBrokers;
  const service = uniqueService(`iso_${name}`);
  const broker = new KafkaEventBroker({ brokers, clientId: `isolation-${name}` });
  const commerce = await createCommerceService({
    paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
    database: mysqlDatabase(service),
    clock: systemClock,
    broker,
    eventNamespace: name,
    logger: recordingLogger(),
  });
  commerce.relay.start();
  const seen: string[] = [];
  const processor: MessageProcessor = {
    consumerGroup: `${name}.learner-api.course-cache`,
    async process(message) {
      seen.push((JSON.parse(message.value.toString()) as { aggregateId: string }).aggregateId);
      return 'handled';
    },
  };
  const consumer = new KafkaEventConsumer({
    brokers,
    clientId: `isolation-${name}`,
    topics: [topicFor('catalog', name)],
    processor,
  });
  await consumer.start();
  return { name, service, commerce, broker, consumer, seen };
}

async function publishCourse(deployment: Deployment): Promise<string> {
  const client = createContractClient(catalogContract, {
    service: 'commerce-service',
    invoke: inProcessInvoke(deployment.commerce.handler),
  });
  const course = await client.Course.draft(
    { title: `Isolation in ${deployment.name}` },
    { caller: instructor },
  );
  await client.Course.addLesson(course.id, { title: 'Welcome' }, { caller: instructor });
  await client.Course.setPrice(course.id, { price: { amount: 0, currency: 'EUR' } }, { caller: instructor });
  await client.Course.publish(course.id, {}, { caller: instructor });
  return course.id;
}

// STRATA_DEPLOYMENT names two runs that share one MariaDB, Redis, etcd and Kafka; start:distributed
// hands it to every process as STRATA_EVENT_NAMESPACE.
describe('two deployments sharing one Kafka', () => {
  const run = newId().replaceAll('-', '').slice(-8);
  const deployments: Deployment[] = [];

  beforeAll(async () => {
    deployments.push(await startDeployment(`a${run}`), await startDeployment(`b${run}`));
  }, 60_000);

  afterAll(async () => {
    for (const deployment of deployments) {
      await deployment.consumer.stop();
      await deployment.commerce.close();
      await deployment.broker.close();
      await dropDatabase(deployment.service);
    }
  }, 60_000);

  it("never see each other's events", async () => {
    const [a, b] = deployments as [Deployment, Deployment];
    const courseOfA = await publishCourse(a);
    const courseOfB = await publishCourse(b);
    // Each sees its own four events (drafted, lesson added, price set, published)...
    await waitFor(`${a.name} to see its course`, () => a.seen.filter((id) => id === courseOfA).length >= 4, {
      timeoutMs: 30_000,
      everyMs: 100,
    });
    await waitFor(`${b.name} to see its course`, () => b.seen.filter((id) => id === courseOfB).length >= 4, {
      timeoutMs: 30_000,
      everyMs: 100,
    });
    // ...and, with both relays drained, nothing of the other's.
    expect(a.seen.every((id) => id === courseOfA)).toBe(true);
    expect(b.seen.every((id) => id === courseOfB)).toBe(true);
  }, 60_000);
});
