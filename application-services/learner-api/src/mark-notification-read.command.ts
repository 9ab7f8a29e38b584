import { Command, CommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import type { NotificationClient } from './injection-tokens.ts';
import type { NotificationView } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { NotificationCallHandler } from './notification-call-handler.ts';

/** Marks one of the caller's notifications read (again changes nothing). */
export class MarkNotificationReadCommand extends Command<NotificationView> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly notificationId: string;
  readonly correlationId: string;

  constructor(request: LearnerRequest & { notificationId: string }) {
    super();
    this.caller = request.caller;
    this.notificationId = request.notificationId;
    this.correlationId = request.correlationId;
  }
}

@CommandHandler(MarkNotificationReadCommand)
export class MarkNotificationReadHandler extends NotificationCallHandler<
  MarkNotificationReadCommand,
  NotificationView
> {
  protected call(
    notifications: NotificationClient,
    command: MarkNotificationReadCommand,
  ): Promise<NotificationView> {
    return notifications.Notification.markRead(command.notificationId, {}, learnerCall(command));
  }
}
