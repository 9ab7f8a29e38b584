import type { Inbox, InboxItem } from '@strata/events';

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

  /**
   * A batch's works start in order, each without waiting for the one before: the handlers are
   * idempotent and independent of one another, and what they send leaves on one connection in the
   * order they started. So the push relay's publishes of one fetch reach Redis together instead of
   * a round trip each, one after the other (docs/adr/0057). If one fails, the processor handles
   * each event alone with its retries: the others run again, which harms nothing here.
   */
  async handleBatchOnce(
    _consumerGroup: string,
    items: readonly InboxItem<undefined>[],
  ): Promise<'handled'[]> {
    await Promise.all(items.map((item) => item.work(undefined)));
    return items.map(() => 'handled');
  }
}
