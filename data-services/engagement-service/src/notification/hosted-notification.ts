import { DEFAULT_NOTIFICATION_RETENTION, type NotificationRetention } from '@strata/notification';
import { notificationContract } from '@strata/notification/contract';
import { implementContract } from '@strata/rpc';
import type { HostedContext } from '@strata/runtime/data-service';
import { CreateNotificationTables } from './migrations/create-notification-tables.ts';
import { notificationFeedRecordSchema, notificationFeedStorage } from './notification-feed-record.ts';
import { notificationImplementation } from './notification-implementation.ts';
import { notificationRecordSchema, notificationStorage } from './notification-record.ts';
import { notificationHandlers, notifyingContracts } from './notification-subscription.ts';
import { SqlNotificationQueries } from './sql-notification-queries.ts';

/**
 * Notification as engagement-service hosts it: feeds and notifications on their own tables, made
 * from identity's, ordering's and learning's events through the inbox, and announced
 * (NotificationCreated) through the outbox for the learner app's live connections (ADR 0022).
 */
export function hostedNotification(hosting: { retention?: NotificationRetention } = {}): HostedContext {
  return {
    contract: notificationContract,
    aggregates: { NotificationFeed: notificationFeedStorage, Notification: notificationStorage },
    serve: ({ unitOfWork, session, options }) =>
      implementContract(
        notificationContract,
        notificationImplementation(new SqlNotificationQueries(session)),
        {
          unitOfWork,
          clock: options.clock,
          logger: options.logger,
        },
      ),
    subscribe: ({ unitOfWork, options }) => ({
      from: notifyingContracts,
      handlers: notificationHandlers({
        unitOfWork,
        clock: options.clock,
        retention: hosting.retention ?? DEFAULT_NOTIFICATION_RETENTION,
      }),
    }),
  };
}

export const notificationMapping = {
  entities: [notificationFeedRecordSchema, notificationRecordSchema],
  migrations: [CreateNotificationTables],
};
