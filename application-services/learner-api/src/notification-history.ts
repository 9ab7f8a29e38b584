import type { NotificationView } from '@strata/notification/contract';
import type { StreamCatchUp, StreamHistory, StreamMark } from '@strata/push';
import type { NotificationClient } from './injection-tokens.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { orEmptyFeed } from './notification-feed-mark.ts';

/**
 * A learner's feed as the push hub reads it to catch a connection up: through the notification
 * contract, as the learner (the context lets only the recipient read), under the request id of the
 * connection's opening request.
 */
export class NotificationHistory implements StreamHistory<NotificationView, LearnerRequest> {
  readonly #notifications: NotificationClient;

  constructor(notifications: NotificationClient) {
    this.#notifications = notifications;
  }

  head(recipientId: string, request: LearnerRequest): Promise<StreamMark> {
    return this.#notifications.NotificationFeed.unreadCount(recipientId, {}, learnerCall(request)).then(
      ({ epoch, latestPosition }) => ({ epoch, position: latestPosition }),
      orEmptyFeed<StreamMark>({ epoch: null, position: 0 }),
    );
  }

  since(
    recipientId: string,
    request: LearnerRequest,
    from: { epoch: string; position: number },
    limit: number,
  ): Promise<StreamCatchUp<NotificationView>> {
    return this.#notifications.NotificationFeed.since(
      recipientId,
      { ...from, limit },
      learnerCall(request),
    ).catch(
      // No feed: nothing was ever there to miss, unless the client claims to hold some.
      orEmptyFeed({ epoch: null, items: [], recovered: from.position === 0, latestPosition: 0 }),
    );
  }
}
