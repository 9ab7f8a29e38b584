import { Query, QueryHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import type { NotificationClient } from './injection-tokens.ts';
import type { UnreadCountView } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { NotificationCallHandler } from './notification-call-handler.ts';
import { feedMarkOf, orEmptyFeed } from './notification-feed-mark.ts';

/** The badge: how many of the caller's notifications are unread. */
export class CountUnreadNotificationsQuery extends Query<UnreadCountView> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly correlationId: string;

  constructor(request: LearnerRequest) {
    super();
    this.caller = request.caller;
    this.correlationId = request.correlationId;
  }
}

@QueryHandler(CountUnreadNotificationsQuery)
export class CountUnreadNotificationsHandler extends NotificationCallHandler<
  CountUnreadNotificationsQuery,
  UnreadCountView
> {
  protected call(
    notifications: NotificationClient,
    query: CountUnreadNotificationsQuery,
  ): Promise<UnreadCountView> {
    return notifications.NotificationFeed.unreadCount(query.caller.userId, {}, learnerCall(query)).then(
      ({ unread, epoch, latestPosition }) => ({ unread, ...feedMarkOf(epoch, latestPosition) }),
      orEmptyFeed({ unread: 0, ...feedMarkOf(null, 0) }),
    );
  }
}
