import type { SqlEntityManager } from '@mikro-orm/sql';
import {
  toNotificationView,
  type NotificationFeed,
  type NotificationQueries,
  type RetainedFeed,
} from '@strata/notification';
import type { NotificationView } from '@strata/notification/contract';
import { notificationRecordSchema, toNotification } from './notification-record.ts';

/**
 * The notification context's queries on MikroORM, through the running unit of work's session.
 * Every one reads one feed run (recipient, epoch) on its unique position index.
 */
export class SqlNotificationQueries implements NotificationQueries {
  readonly #session: () => SqlEntityManager;

  constructor(session: () => SqlEntityManager) {
    this.#session = session;
  }

  async newestOf(
    feed: NotificationFeed,
    limit: number,
    beforePosition?: number,
  ): Promise<NotificationView[]> {
    const records = await this.#session().find(
      notificationRecordSchema,
      {
        recipientId: feed.id,
        epoch: feed.epoch,
        ...(beforePosition === undefined ? {} : { position: { $lt: beforePosition } }),
      },
      { orderBy: { position: 'desc' }, limit },
    );
    return records.map((record) => toNotificationView(toNotification(record), feed));
  }

  async after(feed: NotificationFeed, afterPosition: number, limit: number): Promise<NotificationView[]> {
    const records = await this.#session().find(
      notificationRecordSchema,
      { recipientId: feed.id, epoch: feed.epoch, position: { $gt: afterPosition } },
      { orderBy: { position: 'asc' }, limit },
    );
    return records.map((record) => toNotificationView(toNotification(record), feed));
  }

  unreadCountOf(feed: NotificationFeed): Promise<number> {
    return this.#session().count(notificationRecordSchema, {
      recipientId: feed.id,
      epoch: feed.epoch,
      position: { $gt: feed.readUpTo },
      readAt: null,
    });
  }

  async retainedOf(feed: NotificationFeed): Promise<RetainedFeed> {
    const oldest = await this.#session().findOne(
      notificationRecordSchema,
      { recipientId: feed.id, epoch: feed.epoch },
      { orderBy: { position: 'asc' }, fields: ['position'] },
    );
    return {
      epoch: feed.epoch,
      latestPosition: feed.latestPosition,
      oldestRetainedPosition: oldest?.position ?? null,
    };
  }
}
