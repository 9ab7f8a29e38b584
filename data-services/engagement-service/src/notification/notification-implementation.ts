import {
  canResumeFrom,
  onlyTheRecipientMayReadTheirNotifications,
  toNotificationFeedView,
  toNotificationView,
  type Notification,
  type NotificationFeed,
  type NotificationQueries,
} from '@strata/notification';
import type { notificationContract } from '@strata/notification/contract';
import { decodeCursor, encodeCursor } from '@strata/persistence';
import { actorOf, type ContractImplementation } from '@strata/rpc';
import { checkRule } from '@strata/shared-kernel';

/** A list cursor is the position the previous page ended at. */
const POSITION_KEY = /^[1-9][0-9]{0,15}$/;

/**
 * The notification contract served by its two aggregates: each handler is one domain method or
 * one question to the read side, with the caller as the domain's actor. Reads are the
 * recipient's alone; the feed decides whether a client can catch up (canResumeFrom).
 */
export function notificationImplementation(
  queries: NotificationQueries,
): ContractImplementation<
  typeof notificationContract,
  { NotificationFeed: NotificationFeed; Notification: Notification }
> {
  return {
    NotificationFeed: {
      aggregateType: 'NotificationFeed',
      toView: toNotificationFeedView,
      commands: {
        markAllRead: (feed, input, context) => feed.markAllRead(actorOf(context), context.clock, input.upTo),
      },
      queries: {
        list: async (feed, input, context) => {
          checkRule(onlyTheRecipientMayReadTheirNotifications(context.caller, feed.id));
          const before =
            input.cursor === undefined ? undefined : Number(decodeCursor(input.cursor, POSITION_KEY));
          const found = await queries.newestOf(feed, input.limit + 1, before);
          const items = found.slice(0, input.limit);
          const last = items.at(-1);
          return {
            items,
            nextCursor:
              found.length > input.limit && last !== undefined ? encodeCursor(String(last.position)) : null,
            epoch: feed.epoch,
            latestPosition: feed.latestPosition,
            unread: await queries.unreadCountOf(feed),
          };
        },
        since: async (feed, input, context) => {
          checkRule(onlyTheRecipientMayReadTheirNotifications(context.caller, feed.id));
          const recovered = canResumeFrom(input, await queries.retainedOf(feed));
          // A client that cannot catch up reloads the list; answering part of the gap would hide the hole.
          const items = recovered ? await queries.after(feed, input.position, input.limit) : [];
          return { epoch: feed.epoch, items, recovered, latestPosition: feed.latestPosition };
        },
        unreadCount: async (feed, _input, context) => {
          checkRule(onlyTheRecipientMayReadTheirNotifications(context.caller, feed.id));
          return {
            unread: await queries.unreadCountOf(feed),
            epoch: feed.epoch,
            latestPosition: feed.latestPosition,
          };
        },
      },
    },
    Notification: {
      aggregateType: 'Notification',
      toView: (notification) => toNotificationView(notification),
      commands: {
        markRead: (notification, _input, context) => notification.markRead(actorOf(context), context.clock),
      },
    },
  };
}
