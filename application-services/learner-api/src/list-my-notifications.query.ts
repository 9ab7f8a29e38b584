import { Query, QueryHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import type { NotificationClient } from './injection-tokens.ts';
import type { MyNotificationsQuery, NotificationPage } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { NotificationCallHandler } from './notification-call-handler.ts';
import { feedMarkOf, orEmptyFeed } from './notification-feed-mark.ts';

/** The caller's notifications, newest first, with the unread count and where the feed stands. */
export class ListMyNotificationsQuery extends Query<NotificationPage> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly paging: MyNotificationsQuery;
  readonly correlationId: string;

  constructor(request: LearnerRequest & { paging: MyNotificationsQuery }) {
    super();
    this.caller = request.caller;
    this.paging = request.paging;
    this.correlationId = request.correlationId;
  }
}

@QueryHandler(ListMyNotificationsQuery)
export class ListMyNotificationsHandler extends NotificationCallHandler<
  ListMyNotificationsQuery,
  NotificationPage
> {
  protected async call(
    notifications: NotificationClient,
    query: ListMyNotificationsQuery,
  ): Promise<NotificationPage> {
    const empty: NotificationPage = { items: [], nextCursor: null, unread: 0, ...feedMarkOf(null, 0) };
    return notifications.NotificationFeed.list(query.caller.userId, query.paging, learnerCall(query)).then(
      ({ items, nextCursor, unread, epoch, latestPosition }) => ({
        items,
        nextCursor,
        unread,
        ...feedMarkOf(epoch, latestPosition),
      }),
      orEmptyFeed(empty),
    );
  }
}
