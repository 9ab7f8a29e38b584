import { Inject } from '@nestjs/common';
import { NOTIFICATION_CLIENT, type NotificationClient } from './injection-tokens.ts';

/**
 * A notification handler is one call to the learner's feed or one of their notifications, made for
 * the verified learner (the context refuses anyone else); a subclass says which.
 */
export abstract class NotificationCallHandler<TRequest, TResult> {
  readonly #notifications: NotificationClient;

  constructor(@Inject(NOTIFICATION_CLIENT) notifications: NotificationClient) {
    this.#notifications = notifications;
  }

  execute(request: TRequest): Promise<TResult> {
    return this.call(this.#notifications, request);
  }

  protected abstract call(notifications: NotificationClient, request: TRequest): Promise<TResult>;
}
