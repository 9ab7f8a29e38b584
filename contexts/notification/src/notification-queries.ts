import type { NotificationView } from './contract.ts';
import type { RetainedFeed } from './domain/feed-recovery.ts';
import type { NotificationFeed } from './domain/notification-feed.ts';

/**
 * The notification context's read side: what it asks of a store across one recipient's
 * notifications. Read or unread takes the feed into account: a notification at or below the
 * feed's read-up-to mark is read, whatever its own record says yet.
 */
export interface NotificationQueries {
  /** Newest first: positions below `beforePosition` when given, at most `limit`. */
  newestOf(feed: NotificationFeed, limit: number, beforePosition?: number): Promise<NotificationView[]>;
  /** Oldest first: positions above `afterPosition`, at most `limit`. */
  after(feed: NotificationFeed, afterPosition: number, limit: number): Promise<NotificationView[]>;
  unreadCountOf(feed: NotificationFeed): Promise<number>;
  /** What the store still holds of the feed, for deciding whether a client can resume. */
  retainedOf(feed: NotificationFeed): Promise<RetainedFeed>;
}
