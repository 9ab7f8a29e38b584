import type { Inbox } from '@strata/events';

/**
 * An inbox that remembers nothing. Right only for handlers that are idempotent on their own, as
 * deleting cache keys is: a redelivered event deletes again and harms nothing, so learner-api
 * needs no database just to deduplicate.
 */
export class StatelessInbox implements Inbox<undefined> {
  async handleOnce(
    _consumerGroup: string,
    _eventId: string,
    work: (session: undefined) => Promise<void>,
  ): Promise<'handled'> {
    await work(undefined);
    return 'handled';
  }
}
