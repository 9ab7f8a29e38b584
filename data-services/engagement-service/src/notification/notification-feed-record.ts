import { NotificationFeed } from '@strata/notification';
import { aggregateMapping, recordSchema } from '@strata/persistence';

/**
 * A recipient's feed as the `notification_feeds` table holds it: one row a recipient, the counter
 * their positions come from. Creating a notification locks this row for the rest of its
 * transaction, so concurrent creations for one recipient take turns and a rolled-back one gives
 * its position back (ADR 0022).
 */
export interface NotificationFeedRecord {
  id: string;
  version: number;
  epoch: string;
  latestPosition: number;
  readUpTo: number;
  readUpToAt: Date | null;
  startedAt: Date;
}

export const notificationFeedRecordSchema = recordSchema<NotificationFeedRecord>({
  name: 'NotificationFeedRecord',
  tableName: 'notification_feeds',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    epoch: { type: 'string', length: 64 },
    latestPosition: { type: 'integer' },
    readUpTo: { type: 'integer' },
    readUpToAt: { type: 'datetime', nullable: true },
    startedAt: { type: 'datetime' },
  },
});

export const notificationFeedStorage = aggregateMapping({
  schema: notificationFeedRecordSchema,
  toAggregate: (record: NotificationFeedRecord) => NotificationFeed.restore(record),
  toRecord: (feed: NotificationFeed): NotificationFeedRecord => ({ ...feed.toSnapshot() }),
});
