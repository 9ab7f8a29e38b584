import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { stackEndpoints } from '@strata/dev-stack';
import { createEngagementService, type EngagementService } from '@strata/engagement-service';
import {
  contractEventCatalog,
  envelopeFor,
  envelopeToMessage,
  KafkaEventBroker,
  KafkaEventConsumer,
  topicFor,
  type DeliveredMessage,
  type EventEnvelope,
  type ProcessOutcome,
} from '@strata/events';
import { identityContract } from '@strata/identity/contract';
import { learningContract } from '@strata/learning/contract';
import { notificationContract, type NotificationView } from '@strata/notification/contract';
import { orderingContract } from '@strata/ordering/contract';
import { dropDatabase, mysqlDatabase, uniqueService } from '@strata/persistence/test-support';
import { createContractClient, inProcessInvoke, type ContractClient } from '@strata/rpc';
import { refusal, recordingLogger } from '@strata/runtime/test-support';
import { newId, systemClock, type Contract } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';

// Notifications on the dev stack: two engagement-service instances on one MariaDB schema (the
// second keeps only 3 notifications a recipient), the outbox relayed to Kafka under a namespace of
// this run, and a consumer of the notification topic collecting NotificationCreated as learner-api
// would. Source events are handed to each instance's own processor, inbox and handlers as a broker
// would deliver them: twice, and at the same time on both instances.

jest.setTimeout(90_000);

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const person = (userId: string = newId()) => ({ userId, roles: ['learner'] });

type Source = { contract: Contract; type: string; aggregateType: string; payload: Record<string, unknown> };

const userRegistered = (userId: string): Source => ({
  contract: identityContract,
  type: 'UserRegistered',
  aggregateType: 'User',
  payload: { userId, email: `${userId}@example.org`, displayName: 'Ada', roles: ['learner'] },
});

const order = (learnerId: string) => ({
  orderId: newId(),
  learnerId,
  lines: [{ courseId: newId(), instructorId: newId(), title: 'Delivered SQL', price: eur(4900) }],
  total: eur(4900),
  paymentId: 'pay-1',
});

const orderPaid = (learnerId: string): Source => ({
  contract: orderingContract,
  type: 'OrderPaid',
  aggregateType: 'Order',
  payload: {
    ...order(learnerId),
    paidAt: '2026-12-04T10:00:00.000Z',
    refundDeadline: '2026-12-18T10:00:00.000Z',
  },
});

const orderRefunded = (learnerId: string): Source => ({
  contract: orderingContract,
  type: 'OrderRefunded',
  aggregateType: 'Order',
  payload: {
    ...order(learnerId),
    refundId: 'refund-1',
    reason: 'learner-request',
    refundedAt: '2026-12-05T10:00:00.000Z',
  },
});

const enrollmentGranted = (learnerId: string): Source => ({
  contract: learningContract,
  type: 'EnrollmentGranted',
  aggregateType: 'Enrollment',
  payload: { enrollmentId: newId(), learnerId, courseId: newId(), source: { kind: 'free' } },
});

const certificateIssued = (learnerId: string): Source => ({
  contract: learningContract,
  type: 'CertificateIssued',
  aggregateType: 'Certificate',
  payload: {
    certificateId: newId(),
    code: '7K3M-Q9TX-4',
    learnerId,
    courseId: newId(),
    enrollmentId: newId(),
    issuedAt: '2026-12-06T10:00:00.000Z',
  },
});

describe('engagement-service notifying learners (MariaDB, Kafka)', () => {
  const namespace = `ntf${newId().replaceAll('-', '').slice(-10)}`;
  const schema = uniqueService('engage_notify');
  /** NotificationCreated payloads as the notification topic delivered them, with the message key. */
  const announced: { key: string; view: Omit<NotificationView, 'readAt' | 'version'> }[] = [];
  let broker: KafkaEventBroker;
  let collector: KafkaEventConsumer;
  let a: EngagementService;
  let b: EngagementService;
  let notification: ContractClient<typeof notificationContract>;

  const start = (retention?: { perRecipient: number; maxAgeDays: number }) =>
    createEngagementService({
      database: mysqlDatabase(schema),
      clock: systemClock,
      broker,
      eventNamespace: namespace,
      logger: recordingLogger(),
      shortDomain: 'strata.link',
      ...(retention === undefined ? {} : { notificationRetention: retention }),
    });

  /** Hands the instance's notification consumer one event, as the broker would deliver it. */
  const deliver = (
    service: EngagementService,
    source: Source,
    id: string = newId(),
  ): Promise<ProcessOutcome> => {
    const catalog = contractEventCatalog(source.contract);
    const envelope: EventEnvelope = envelopeFor(
      {
        type: source.type,
        aggregateType: source.aggregateType,
        aggregateId: newId(),
        aggregateVersion: 1,
        payload: source.payload,
        occurredAt: new Date(),
      },
      catalog.describe(source.type)!.version,
      { correlationId: newId() },
      catalog.schema,
    );
    envelope.id = id;
    const message: DeliveredMessage = {
      ...envelopeToMessage(topicFor(source.contract.context, namespace), envelope),
      partition: 0,
      offset: '0',
    };
    const consumer = service.consumers.find((candidate) =>
      candidate.processor.consumerGroup.endsWith('.notification'),
    );
    return consumer!.processor.process(message);
  };

  beforeAll(async () => {
    const { kafkaBrokers } = stackEndpoints();
    broker = new KafkaEventBroker({ brokers: kafkaBrokers, clientId: 'notification-test' });
    a = await start();
    b = await start({ perRecipient: 3, maxAgeDays: 30 });
    a.relay.start();
    notification = createContractClient(notificationContract, {
      service: 'engagement-service',
      invoke: inProcessInvoke(a.handler),
    });
    // The first notification makes the topic, so the collector below finds it (from its beginning).
    const first = newId();
    await deliver(a, userRegistered(first));
    const unsent = async () =>
      (
        await a.database
          .em()
          .execute<{ n: number }[]>('select count(*) as n from outbox where sent_at is null')
      )[0]!.n;
    await waitFor('the first NotificationCreated to be relayed', async () => Number(await unsent()) === 0, {
      timeoutMs: 30_000,
      everyMs: 25,
    });
    collector = new KafkaEventConsumer({
      brokers: kafkaBrokers,
      clientId: 'notification-test',
      topics: [topicFor('notification', namespace)],
      processor: {
        consumerGroup: `${namespace}.test-notifications`,
        process: async (message) => {
          if (message.headers['event-type'] !== 'NotificationCreated') return 'skipped';
          const envelope = JSON.parse(message.value.toString()) as { payload: NotificationView };
          announced.push({ key: String(message.key), view: envelope.payload });
          return 'handled';
        },
      },
    });
    await collector.start();
  });

  afterAll(async () => {
    await collector?.stop();
    await a?.close();
    await b?.close();
    await broker?.close();
    await dropDatabase(schema);
  });

  it('makes one notification of each source event, however often it is delivered, newest first in the feed', async () => {
    const learner = newId();
    const sources = [
      userRegistered(learner),
      orderPaid(learner),
      enrollmentGranted(learner),
      certificateIssued(learner),
      orderRefunded(learner),
    ];
    for (const source of sources) {
      const id = newId();
      expect(await deliver(a, source, id)).toBe('handled');
      expect(await deliver(a, source, id)).toBe('duplicate');
      // The other instance shares the inbox: a redelivery there after a rebalance is a duplicate too.
      expect(await deliver(b, source, id)).toBe('duplicate');
    }

    const page = await notification.NotificationFeed.list(
      learner,
      { limit: 10 },
      { caller: person(learner) },
    );
    expect(page.items.map((item) => [item.position, item.kind])).toEqual([
      [5, 'refund'],
      [4, 'certificate-ready'],
      [3, 'course-ready'],
      [2, 'receipt'],
      [1, 'welcome'],
    ]);
    expect(page).toMatchObject({ unread: 5, latestPosition: 5, nextCursor: null });
    expect(page.items[3]).toMatchObject({
      title: 'Payment received',
      text: 'We received your payment of EUR 49.00 for “Delivered SQL”. Your receipt is in your orders.',
      link: `/orders/${(sources[1]!.payload as { orderId: string }).orderId}`,
      readAt: null,
      epoch: page.epoch,
    });
    const older = await notification.NotificationFeed.list(
      learner,
      { limit: 2 },
      { caller: person(learner) },
    );
    const rest = await notification.NotificationFeed.list(
      learner,
      { limit: 10, cursor: older.nextCursor! },
      { caller: person(learner) },
    );
    expect([...older.items, ...rest.items].map((item) => item.position)).toEqual([5, 4, 3, 2, 1]);
  });

  it('numbers one recipient’s notifications 1…n without gaps or repeats when two instances create them at once, and announces each on Kafka keyed by the recipient', async () => {
    const learner = newId();
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, index) => deliver(index % 2 === 0 ? a : b, enrollmentGranted(learner))),
    );
    expect(outcomes.every((outcome) => outcome === 'handled')).toBe(true);

    const feed = await notification.NotificationFeed.get(learner);
    expect(feed.latestPosition).toBe(16);
    await waitFor(
      'sixteen NotificationCreated',
      () => announced.filter((seen) => seen.view.recipientId === learner).length >= 16,
      { timeoutMs: 30_000, everyMs: 25 },
    );
    const mine = announced.filter((seen) => seen.view.recipientId === learner);
    expect(mine.map((seen) => seen.view.position)).toEqual(
      Array.from({ length: 16 }, (_, index) => index + 1),
    );
    expect(new Set(mine.map((seen) => seen.key))).toEqual(new Set([learner]));
    expect(new Set(mine.map((seen) => seen.view.epoch))).toEqual(new Set([feed.epoch]));
  });

  it('catches a client up from its epoch and position, and says "not recovered" past retention or for another epoch', async () => {
    const learner = newId();
    const me = { caller: person(learner) };
    // Instance b keeps the newest 3 of each feed.
    for (let created = 0; created < 5; created += 1) await deliver(b, enrollmentGranted(learner));
    const { epoch } = await notification.NotificationFeed.get(learner);

    const caughtUp = await notification.NotificationFeed.since(learner, { epoch, position: 2 }, me);
    expect(caughtUp).toMatchObject({ epoch, recovered: true, latestPosition: 5 });
    expect(caughtUp.items.map((item) => item.position)).toEqual([3, 4, 5]);
    const limited = await notification.NotificationFeed.since(learner, { epoch, position: 2, limit: 2 }, me);
    expect(limited.items.map((item) => item.position)).toEqual([3, 4]);
    expect(await notification.NotificationFeed.since(learner, { epoch, position: 5 }, me)).toMatchObject({
      recovered: true,
      items: [],
    });

    for (const lost of [
      { epoch, position: 1 },
      { epoch, position: 0 },
      { epoch: 'another-epoch', position: 4 },
      { epoch, position: 9 },
    ]) {
      expect(await notification.NotificationFeed.since(learner, lost, me)).toMatchObject({
        epoch,
        recovered: false,
        items: [],
        latestPosition: 5,
      });
    }
  });

  it('lets only the recipient read their feed and mark their notifications read, one or all at once', async () => {
    const learner = newId();
    const me = { caller: person(learner) };
    const someoneElse = { caller: person() };
    for (let created = 0; created < 3; created += 1) await deliver(a, enrollmentGranted(learner));
    const [third, second] = (await notification.NotificationFeed.list(learner, {}, me)).items;

    expect(await refusal(notification.Notification.markRead(second!.id, {}, someoneElse))).toMatchObject({
      code: 'PERMISSION_DENIED',
      reason: 'only-the-recipient-may-mark-notifications-read',
    });
    expect(await refusal(notification.NotificationFeed.list(learner, {}, someoneElse))).toMatchObject({
      code: 'PERMISSION_DENIED',
      reason: 'only-the-recipient-may-read-their-notifications',
    });
    expect(await refusal(notification.NotificationFeed.markAllRead(learner, {}, someoneElse))).toMatchObject({
      code: 'PERMISSION_DENIED',
    });

    const read = await notification.Notification.markRead(second!.id, {}, me);
    expect(read).toMatchObject({ position: 2, version: 2 });
    expect(read.readAt).not.toBeNull();
    expect(await notification.NotificationFeed.unreadCount(learner, {}, me)).toMatchObject({ unread: 2 });

    await notification.NotificationFeed.markAllRead(learner, { upTo: 1 }, me);
    expect(await notification.NotificationFeed.unreadCount(learner, {}, me)).toMatchObject({ unread: 1 });
    const all = await notification.NotificationFeed.markAllRead(learner, {}, me);
    expect(all).toMatchObject({ readUpTo: 3 });
    const after = await notification.NotificationFeed.list(learner, {}, me);
    expect(after.unread).toBe(0);
    expect(after.items.every((item) => item.readAt !== null)).toBe(true);
    expect(after.items[0]!.id).toBe(third!.id);

    expect(await refusal(notification.NotificationFeed.list(newId(), {}, me))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
