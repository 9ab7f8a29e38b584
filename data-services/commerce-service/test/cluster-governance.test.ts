import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import { stackEndpoints } from '@strata/dev-stack';
import { InProcessEventBroker } from '@strata/events';
import {
  createContractClient,
  EtcdRegistry,
  listenTcp,
  type ContractClient,
  type Registration,
  type RpcHandler,
  type RpcListener,
} from '@strata/rpc';
import { connectDataService, type DataServiceConnection } from '@strata/runtime';
import { newId, RpcError, systemClock } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { dropDatabase, mysqlDatabase, uniqueService } from '@strata/persistence/test-support';
import { recordingLogger } from '@strata/runtime/test-support';
import { SimulatorPaymentProvider } from '@strata/payments';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';

// commerce-service's checkout needs a real provider; this file's simulator process is it.
const simulator = usePaymentSimulator();

// Two services on MariaDB, etcd and TCP on a busy 2-core machine: a bound on a hang, not a claim.
jest.setTimeout(60_000);

const instructor = { userId: newId(), roles: ['instructor'] };

/** One commerce-service instance: its own process state, the shared schema, real TCP, registered in etcd. */
interface Instance {
  readonly id: string;
  readonly service: CommerceService;
  readonly listener: RpcListener;
  readonly registration: Registration;
  /** The aggregate ids of the addressed calls this instance handled. */
  readonly served: string[];
  /** The courses whose commands it served: a query may be hedged to a second instance, a command never. */
  readonly commanded: string[];
  /** Set to make the next call of this method die with the instance after its work is done. */
  crashAfter?: string;
}

/**
 * Distributed mode as an application service runs it: connectDataService finds the instances in
 * etcd and calls them through the ClusterInvoker configured from the catalog's call policy
 * (consistent hashing on the course id).
 */
describe('commerce-service as three instances behind the catalog call policy', () => {
  const database = uniqueService('commerce_cluster');
  const prefix = `/strata-test/${database}`;
  const etcdHosts = stackEndpoints().etcdHosts;
  const registry = new EtcdRegistry({ hosts: etcdHosts, prefix, leaseTtlSeconds: 2 });
  const instances: Instance[] = [];
  let connection: DataServiceConnection;
  let client: ContractClient<typeof catalogContract>;

  async function startInstance(id: string): Promise<Instance> {
    const service = await createCommerceService({
      paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
      database: mysqlDatabase(database),
      clock: systemClock,
      broker: new InProcessEventBroker(),
      logger: recordingLogger(),
    });
    const served: string[] = [];
    const commanded: string[] = [];
    // The handler needs the instance it belongs to, which needs the listener the handler serves.
    const self: { instance?: Instance } = {};
    const handler: RpcHandler = async (request, signal) => {
      const { id: aggregateId } = request.payload as { id?: string };
      if (aggregateId !== undefined) served.push(aggregateId);
      if (aggregateId !== undefined && !request.method.endsWith('.get')) commanded.push(aggregateId);
      const response = await service.handler(request, signal);
      const instance = self.instance!;
      if (instance.crashAfter !== request.method) return response;
      // The work is committed, then the instance dies before its answer leaves: a crash mid-call.
      instance.crashAfter = undefined;
      void instance.listener.close();
      return new Promise<never>(() => {});
    };
    const listener = await listenTcp({ tls: false, handler });
    const registration = await registry.register({
      id,
      service: 'commerce-service',
      host: '127.0.0.1',
      port: listener.address.port,
    });
    self.instance = { id, service, listener, registration, served, commanded };
    return self.instance;
  }

  beforeAll(async () => {
    // One after the other: the first applies the schema's migrations, the others find them done.
    for (const name of ['a', 'b', 'c']) instances.push(await startInstance(`${database}-${name}`));
    connection = await connectDataService({
      service: 'commerce-service',
      contracts: [catalogContract],
      env: {
        STRATA_REGISTRY: 'etcd',
        STRATA_ETCD_HOSTS: etcdHosts,
        STRATA_ETCD_PREFIX: prefix,
        STRATA_RPC_PLAINTEXT: true,
      },
      logger: { warn: () => {} },
    });
    client = createContractClient(catalogContract, {
      service: 'commerce-service',
      invoke: connection.invoke,
    });
  });

  afterAll(async () => {
    await connection?.close();
    // Closing the registry deregisters whatever is still registered.
    await registry.close();
    for (const instance of instances) {
      await instance.listener.close();
      await instance.service.close();
    }
    await dropDatabase(database);
  });

  /** Which instance served a course while all three lived (filled once hashing is shown). */
  const owners = new Map<string, Instance>();
  const ownerOf = (courseId: string): Instance => owners.get(courseId)!;

  const lessonTitles = async (courseId: string) =>
    (await client.Course.get(courseId)).lessons.map((lesson) => lesson.title);

  let courses: string[] = [];
  const dead: Instance[] = [];

  it('is ready while an instance can take calls', async () => {
    await expect(connection.healthCheck.check()).resolves.toBeUndefined();
  });

  it('keeps every call on one course on one instance, and spreads the courses over all three', async () => {
    const caller = { caller: instructor };
    courses = await Promise.all(
      Array.from(
        { length: 16 },
        async (_, index) => (await client.Course.draft({ title: `Course ${index}` }, caller)).id,
      ),
    );
    for (const courseId of courses) {
      await client.Course.addLesson(courseId, { title: 'Welcome' }, caller);
      await client.Course.editDetails(courseId, { description: 'Edited once' }, caller);
      await client.Course.get(courseId);
      await client.Course.renameLesson(
        courseId,
        { lessonId: (await client.Course.get(courseId)).lessons[0]!.id, title: 'Hello' },
        caller,
      );
    }
    for (const courseId of courses) {
      const [owner, ...others] = instances.filter((instance) => instance.commanded.includes(courseId));
      expect(others).toEqual([]);
      owners.set(courseId, owner!);
    }
    // With sixteen random ids, an instance owning none happens about once in 1,500 runs.
    expect(new Set(owners.values()).size).toBe(3);
  });

  it('answers a non-idempotent command whose instance died mid-call with UNAVAILABLE, not a blind retry', async () => {
    const courseId = courses[0]!;
    const victim = ownerOf(courseId);
    victim.crashAfter = 'Course.addLesson';
    const refused = await client.Course.addLesson(
      courseId,
      { title: 'Sent once' },
      { caller: instructor },
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    dead.push(victim);
    expect(refused).toBeInstanceOf(RpcError);
    expect((refused as RpcError).code).toBe('UNAVAILABLE');
    // The instance had done the work before it died: retrying without a key would have added it twice.
    // The read fails over to a survivor (the dead instance is still listed in etcd).
    expect(await lessonTitles(courseId)).toEqual(['Hello', 'Sent once']);
  });

  it('retries a non-idempotent command carrying an idempotency key on a survivor, which answers the first result', async () => {
    const courseId = courses.find((id) => !dead.includes(ownerOf(id)))!;
    const victim = ownerOf(courseId);
    victim.crashAfter = 'Course.addLesson';
    const answer = await client.Course.addLesson(
      courseId,
      { title: 'Keyed' },
      { caller: instructor, idempotencyKey: newId() },
    );
    dead.push(victim);
    expect(answer.lessons.map((lesson) => lesson.title)).toEqual(['Hello', 'Keyed']);
    expect(await lessonTitles(courseId)).toEqual(['Hello', 'Keyed']);
  });

  it('fails the dead instances’ courses over to the survivor: queries, idempotent commands, and commands they never saw', async () => {
    const survivor = instances.find((instance) => !dead.includes(instance))!;
    expect(dead).toHaveLength(2);
    const orphaned = courses.filter((courseId) => dead.includes(ownerOf(courseId)));
    const before = survivor.served.length;
    for (const courseId of orphaned) {
      await expect(client.Course.get(courseId)).resolves.toMatchObject({ id: courseId });
      await expect(
        client.Course.editDetails(
          courseId,
          { description: 'Edited after the crash' },
          { caller: instructor },
        ),
      ).resolves.toMatchObject({ description: 'Edited after the crash' });
      // Refused by the dead instance's closed port before any handler ran, so safe to send elsewhere.
      await expect(
        client.Course.addLesson(courseId, { title: 'After the crash' }, { caller: instructor }),
      ).resolves.toMatchObject({ id: courseId });
    }
    expect(survivor.served.length - before).toBe(3 * orphaned.length);
  });

  it('is not ready once no instance is registered', async () => {
    for (const instance of instances) await instance.registration.deregister();
    // Was 100 checks 50 ms apart (~5 s here); CI is slower. Under jest's 30 s for the test.
    await waitFor(
      'the health check to refuse',
      () =>
        connection.healthCheck.check().then(
          () => false,
          () => true,
        ),
      { timeoutMs: 15_000 },
    );
    await expect(connection.healthCheck.check()).rejects.toThrow(
      /no instance of commerce-service can take calls/,
    );
  });
});
