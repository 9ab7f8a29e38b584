import { Notification, type NotificationId, type NotificationKind } from '@strata/notification';
import { aggregateMapping, recordSchema } from '@strata/persistence';

/** One position of one feed run is one notification: what finally refuses a second one. */
export const NOTIFICATIONS_POSITION_INDEX = 'notifications_recipient_epoch_position';
/** One source event makes one notification, even if its inbox row were ever lost (a replay). */
export const NOTIFICATIONS_SOURCE_EVENT_INDEX = 'notifications_source_event_id';

/** A notification as the `notifications` table holds it. */
export interface NotificationRecord {
  id: string;
  version: number;
  recipientId: string;
  kind: NotificationKind;
  title: string;
  text: string;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
  epoch: string;
  position: number;
  sourceEventId: string;
}

/**
 * The (recipient_id, epoch, position) unique index serves every read of a feed (newest first,
 * after a position, the unread count) and guarantees no position is held twice.
 */
export const notificationRecordSchema = recordSchema<NotificationRecord>({
  name: 'NotificationRecord',
  tableName: 'notifications',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    recipientId: { type: 'string', length: 36 },
    kind: { type: 'string', length: 24 },
    title: { type: 'string', length: 120 },
    text: { type: 'text' },
    link: { type: 'string', length: 200, nullable: true },
    createdAt: { type: 'datetime' },
    readAt: { type: 'datetime', nullable: true },
    epoch: { type: 'string', length: 64 },
    position: { type: 'integer' },
    sourceEventId: { type: 'string', length: 36, unique: NOTIFICATIONS_SOURCE_EVENT_INDEX },
  },
  uniques: [{ name: NOTIFICATIONS_POSITION_INDEX, properties: ['recipientId', 'epoch', 'position'] }],
});

export function toNotification(record: NotificationRecord): Notification {
  return Notification.restore({ ...record, id: record.id as NotificationId });
}

export function toNotificationRecord(notification: Notification): NotificationRecord {
  return { ...notification.toSnapshot() };
}

export const notificationStorage = aggregateMapping({
  schema: notificationRecordSchema,
  toAggregate: toNotification,
  toRecord: toNotificationRecord,
});
