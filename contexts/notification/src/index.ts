export type { Actor } from '@strata/shared-kernel';
export { canResumeFrom, MAX_SINCE_LIMIT, type FeedMark, type RetainedFeed } from './domain/feed-recovery.ts';
export { NOTIFICATION_KINDS, type NotificationKind } from './domain/notification-kind.ts';
export type { NotificationId } from './domain/notification-id.ts';
export {
  certificateReadyMessage,
  courseList,
  courseReadyMessage,
  formatAmount,
  MAX_TITLES_NAMED,
  receiptMessage,
  refundMessage,
  welcomeMessage,
  type Amount,
  type NotificationMessage,
  type OrderFacts,
} from './domain/notification-message.ts';
export {
  DEFAULT_NOTIFICATION_RETENTION,
  prunedUpTo,
  retainedSince,
  type NotificationRetention,
} from './domain/notification-retention.ts';
export {
  onlyTheRecipientMayMarkNotificationsRead,
  onlyTheRecipientMayReadTheirNotifications,
} from './domain/notification-rules.ts';
export type { NotificationFeedSnapshot } from './domain/notification-feed-snapshot.ts';
export type { NotificationSnapshot } from './domain/notification-snapshot.ts';
export { NotificationFeed } from './domain/notification-feed.ts';
export { Notification } from './domain/notification.ts';
export {
  MAX_NOTIFICATION_LINK_LENGTH,
  NOTIFICATION_LINK,
  notificationBodyText,
  notificationTitleText,
} from './domain/notification-text.ts';
export type * from './notification-events.ts';
export { notificationEventPayloads, notificationFeedEventPayloads } from './notification-events.ts';
export {
  feedEpoch,
  feedPosition,
  notificationKind,
  notificationLink,
  notificationText,
  notificationTitle,
  sinceLimit,
} from './notification-fields.ts';
export type { NotificationQueries } from './notification-queries.ts';
export { toNotificationFeedView, toNotificationView } from './notification-view.ts';
export { notificationGlossary } from './glossary.ts';
