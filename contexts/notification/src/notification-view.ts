import type { NotificationFeedView, NotificationView } from './contract.ts';
import type { NotificationFeed } from './domain/notification-feed.ts';
import type { Notification } from './domain/notification.ts';

/**
 * What the contract shows of a notification, field by field, so a new internal field never leaks
 * by accident. Given its feed, one the feed marked read at once reads as read from that moment
 * until its own record says so.
 */
export function toNotificationView(notification: Notification, feed?: NotificationFeed): NotificationView {
  const readAt =
    notification.readAt ??
    (feed !== undefined && notification.position <= feed.readUpTo ? feed.readUpToAt : null);
  return {
    id: notification.id,
    recipientId: notification.recipientId,
    kind: notification.kind,
    title: notification.title,
    text: notification.text,
    link: notification.link,
    createdAt: notification.createdAt.toISOString(),
    readAt: readAt?.toISOString() ?? null,
    epoch: notification.epoch,
    position: notification.position,
    version: notification.version,
  };
}

export function toNotificationFeedView(feed: NotificationFeed): NotificationFeedView {
  return {
    id: feed.id,
    epoch: feed.epoch,
    latestPosition: feed.latestPosition,
    readUpTo: feed.readUpTo,
    version: feed.version,
  };
}
