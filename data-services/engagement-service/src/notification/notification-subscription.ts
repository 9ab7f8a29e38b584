import type { SqlEntityManager } from '@mikro-orm/sql';
import type { EventEnvelope, EventHandler } from '@strata/events';
import { identityContract } from '@strata/identity/contract';
import { learningContract } from '@strata/learning/contract';
import {
  certificateReadyMessage,
  courseReadyMessage,
  NotificationFeed,
  prunedUpTo,
  receiptMessage,
  refundMessage,
  retainedSince,
  welcomeMessage,
  type NotificationMessage,
  type NotificationRetention,
} from '@strata/notification';
import { notificationContract } from '@strata/notification/contract';
import { orderingContract } from '@strata/ordering/contract';
import type { MikroOrmUnitOfWork } from '@strata/persistence';
import type { Clock } from '@strata/shared-kernel';
import { notificationFeedRecordSchema } from './notification-feed-record.ts';
import { notificationRecordSchema } from './notification-record.ts';

const { UserRegistered } = identityContract.aggregates.User.events;
const { OrderPaid, OrderRefunded } = orderingContract.aggregates.Order.events;
const { EnrollmentGranted } = learningContract.aggregates.Enrollment.events;
const { CertificateIssued } = learningContract.aggregates.Certificate.events;
const { NotificationsRead } = notificationContract.aggregates.NotificationFeed.events;

/** The contracts whose events make notifications (and notification's own, for NotificationsRead). */
export const notifyingContracts = [
  identityContract,
  orderingContract,
  learningContract,
  notificationContract,
];

/**
 * Notifying: each event that concerns a learner becomes one notification in their feed, in the
 * inbox's transaction, so the inbox row, the notification, the feed's new position and
 * NotificationCreated in the outbox commit together or not at all (once per event however often it
 * is delivered).
 *
 * The position comes from the recipient's feed, loaded `for update`: a second creation for the
 * same recipient (another partition, another instance) waits for this transaction to end and then
 * reads the position it left, so positions never repeat; a rollback gives its position back, so
 * they never skip. The load must be the locking read itself: a plain one after a separate lock
 * sees the transaction's snapshot (taken by its first read, before the wait), so the feed's
 * version check refused every notification that had waited, and under two busy instances some ran
 * out of attempts and were dead-lettered. The row is made first if missing: two first notifications of one person meet on
 * its primary key instead of racing to start two epochs. That insert is an upsert that changes
 * nothing, not an insert-ignore, because InnoDB takes an exclusive lock on the row an upsert finds
 * but only a shared one on the row an insert-ignore skips, and two transactions holding the shared
 * lock then deadlock on the `for update` that follows (seen with two instances notifying at once).
 */
export function notificationHandlers(parts: {
  unitOfWork: MikroOrmUnitOfWork;
  clock: Clock;
  retention: NotificationRetention;
}): Record<string, EventHandler<SqlEntityManager>> {
  const { unitOfWork, clock, retention } = parts;
  const notify =
    (recipientId: string, message: NotificationMessage) =>
    async (envelope: EventEnvelope, session: SqlEntityManager) => {
      if ((await session.count(notificationRecordSchema, { sourceEventId: envelope.id })) > 0) return;
      const fresh = NotificationFeed.start(recipientId, clock).toSnapshot();
      await session
        .createQueryBuilder(notificationFeedRecordSchema)
        .insert({ ...fresh })
        .onConflict('id')
        .merge(['id'])
        .execute();
      await unitOfWork.run(
        async (scope) => {
          const feed = (await scope
            .repository<NotificationFeed>('NotificationFeed')
            .findById(recipientId, { forUpdate: true }))!;
          scope.repository('Notification').add(feed.append(message, envelope.id, clock));
          await session.nativeDelete(notificationRecordSchema, {
            recipientId,
            $or: [
              { position: { $lte: prunedUpTo(retention, feed.latestPosition) } },
              { createdAt: { $lt: retainedSince(retention, clock.now()) } },
            ],
          });
        },
        { within: session },
      );
    };
  const on =
    <T>(
      parse: (payload: unknown) => T,
      recipientOf: (facts: T) => string,
      say: (facts: T) => NotificationMessage,
    ) =>
    (envelope: EventEnvelope, session: SqlEntityManager) => {
      const facts = parse(envelope.payload);
      return notify(recipientOf(facts), say(facts))(envelope, session);
    };
  const orderFacts = (order: {
    orderId: string;
    lines: { title: string }[];
    total: { amount: number; currency: string };
  }) => ({
    orderId: order.orderId,
    courseTitles: order.lines.map((line) => line.title),
    total: order.total,
  });
  return {
    UserRegistered: on(
      (payload) => UserRegistered.payload.parse(payload),
      (user) => user.userId,
      (user) => welcomeMessage(user),
    ),
    OrderPaid: on(
      (payload) => OrderPaid.payload.parse(payload),
      (order) => order.learnerId,
      (order) => receiptMessage(orderFacts(order)),
    ),
    OrderRefunded: on(
      (payload) => OrderRefunded.payload.parse(payload),
      (order) => order.learnerId,
      (order) => refundMessage(orderFacts(order)),
    ),
    EnrollmentGranted: on(
      (payload) => EnrollmentGranted.payload.parse(payload),
      (enrollment) => enrollment.learnerId,
      (enrollment) => courseReadyMessage(enrollment),
    ),
    CertificateIssued: on(
      (payload) => CertificateIssued.payload.parse(payload),
      (certificate) => certificate.learnerId,
      (certificate) => certificateReadyMessage(certificate),
    ),
    // Marking all read moves the feed's mark at once; each notification's own record follows here,
    // so a later mark never changes when an earlier one was read. Only unread rows are touched.
    NotificationsRead: async (envelope: EventEnvelope, session: SqlEntityManager) => {
      const read = NotificationsRead.payload.parse(envelope.payload);
      await session.nativeUpdate(
        notificationRecordSchema,
        { recipientId: read.recipientId, epoch: read.epoch, position: { $lte: read.upTo }, readAt: null },
        { readAt: new Date(read.readAt) },
      );
    },
  };
}
