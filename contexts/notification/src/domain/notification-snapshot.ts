import type { NotificationId } from './notification-id.ts';
import type { NotificationKind } from './notification-kind.ts';

/** Everything a notification is, as one immutable value (`toSnapshot()` / `Notification.restore()`). */
export interface NotificationSnapshot {
  readonly id: NotificationId;
  /** The version as persisted (see AggregateRoot). */
  readonly version: number;
  readonly recipientId: string;
  readonly kind: NotificationKind;
  readonly title: string;
  readonly text: string;
  readonly link: string | null;
  readonly createdAt: Date;
  /** When the recipient read it, alone or with the rest; null while unread. */
  readonly readAt: Date | null;
  readonly epoch: string;
  readonly position: number;
  /** The other context's event it was made from: one notification per event, however often heard. */
  readonly sourceEventId: string;
}
