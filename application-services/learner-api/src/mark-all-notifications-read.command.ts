import { Command, CommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import type { NotificationClient } from './injection-tokens.ts';
import type { MarkAllReadBody, MarkedAllReadView } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { NotificationCallHandler } from './notification-call-handler.ts';
import { feedMarkOf, orEmptyFeed } from './notification-feed-mark.ts';

/** Marks the caller's notifications read up to a position (all of them when absent), in one change. */
export class MarkAllNotificationsReadCommand extends Command<MarkedAllReadView> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly input: MarkAllReadBody;
  readonly correlationId: string;

  constructor(request: LearnerRequest & { input: MarkAllReadBody }) {
    super();
    this.caller = request.caller;
    this.input = request.input;
    this.correlationId = request.correlationId;
  }
}

@CommandHandler(MarkAllNotificationsReadCommand)
export class MarkAllNotificationsReadHandler extends NotificationCallHandler<
  MarkAllNotificationsReadCommand,
  MarkedAllReadView
> {
  protected call(
    notifications: NotificationClient,
    command: MarkAllNotificationsReadCommand,
  ): Promise<MarkedAllReadView> {
    return notifications.NotificationFeed.markAllRead(
      command.caller.userId,
      command.input,
      learnerCall(command),
    ).then(
      ({ readUpTo, epoch, latestPosition }) => ({ readUpTo, ...feedMarkOf(epoch, latestPosition) }),
      // Nothing to mark for a learner never notified.
      orEmptyFeed({ readUpTo: 0, ...feedMarkOf(null, 0) }),
    );
  }
}
