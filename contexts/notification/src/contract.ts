import { aggregate, command, defineContract, firstVersionEvents, query, z } from '@strata/shared-kernel';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '@strata/shared-kernel';
import {
  feedEpoch,
  feedPosition,
  notificationKind,
  notificationLink,
  notificationText,
  notificationTitle,
  sinceLimit,
} from './notification-fields.ts';
import { notificationEventPayloads, notificationFeedEventPayloads } from './notification-events.ts';

/*
 * The notification context's published language. Notifications are made by engagement-service
 * from other contexts' events, never by a call: there is no creation method. Who is acting travels
 * in RPC metadata; a recipient's feed and notifications are theirs alone to read and mark.
 *
 * A recipient's feed (NotificationFeed, addressed by the recipient's user id) numbers their
 * notifications 1, 2, 3… without gaps within an epoch; a client that holds "epoch E up to N" asks
 * `since` for the rest. A recipient who has never been notified has no feed yet: its methods answer
 * NOT_FOUND (reason aggregate-not-found), which a client reads as an empty feed at position 0.
 */

export const NotificationView = z.object({
  id: z.uuid(),
  recipientId: z.uuid(),
  kind: notificationKind,
  title: notificationTitle,
  text: notificationText,
  link: notificationLink.nullable(),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
  epoch: feedEpoch,
  position: feedPosition.min(1),
  version: z.number().int().min(0),
});

export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationFeedView = z.object({
  /** The recipient's user id. */
  id: z.uuid(),
  epoch: feedEpoch,
  latestPosition: feedPosition,
  /** Everything up to here was marked read at once (0: never). */
  readUpTo: feedPosition,
  version: z.number().int().min(0),
});

export type NotificationFeedView = z.infer<typeof NotificationFeedView>;

/** A page of the feed, newest first, with what a client shows beside it. */
export const NotificationPage = z.object({
  items: z.array(NotificationView),
  nextCursor: z.string().nullable(),
  epoch: feedEpoch,
  latestPosition: feedPosition,
  unread: z.number().int().min(0),
});

export type NotificationPage = z.infer<typeof NotificationPage>;

/** What came after a client's mark, oldest first; `recovered: false` means reload the list instead. */
export const NotificationsSince = z.object({
  epoch: feedEpoch,
  items: z.array(NotificationView),
  recovered: z.boolean(),
  latestPosition: feedPosition,
});

export type NotificationsSince = z.infer<typeof NotificationsSince>;

export const UnreadCount = z.object({
  unread: z.number().int().min(0),
  epoch: feedEpoch,
  latestPosition: feedPosition,
});

export type UnreadCount = z.infer<typeof UnreadCount>;

export const notificationContract = defineContract({
  context: 'notification',
  callPolicy: {
    // Hosted by engagement-service with links. One recipient's reads meet in one instance while
    // it lives; the unread badge and the list are read on every page of the learner app.
    balancing: 'consistent-hash',
    timeoutMs: 5_000,
    rateLimit: { ratePerSecond: 2_000, burst: 400 },
    hedgeQueries: true,
  },
  aggregates: {
    NotificationFeed: aggregate({
      id: z.uuid(),
      view: NotificationFeedView,
      commands: {
        // Everything up to `upTo` (the latest position when absent) becomes read.
        markAllRead: command({ input: z.object({ upTo: feedPosition.min(1).optional() }), idempotent: true }),
      },
      queries: {
        // Newest first; the cursor is the previous page's nextCursor.
        list: query({
          input: z.object({
            cursor: z.string().min(1).optional(),
            limit: z.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
          }),
          output: NotificationPage,
        }),
        // What came after the client's mark, in position order, at most `limit` of it.
        since: query({
          input: z.object({ epoch: feedEpoch, position: feedPosition, limit: sinceLimit.default(100) }),
          output: NotificationsSince,
        }),
        unreadCount: query({ input: z.object({}), output: UnreadCount }),
      },
      events: firstVersionEvents(notificationFeedEventPayloads),
    }),
    Notification: aggregate({
      id: z.uuid(),
      view: NotificationView,
      commands: {
        markRead: command({ input: z.object({}), idempotent: true }),
      },
      events: firstVersionEvents(notificationEventPayloads),
    }),
  },
});

/** The view of a notification as NotificationCreated announced it: unread, at its first version. */
export function notificationViewOf(
  created: z.output<typeof notificationFeedEventPayloads.NotificationCreated>,
): NotificationView {
  return { ...created, readAt: null, version: 1 };
}
