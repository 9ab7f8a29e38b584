/** One event of a batch for `Inbox.handleBatchOnce`: its id and the handler's work. */
export interface InboxItem<TSession = unknown> {
  eventId: string;
  work: (session: TSession) => Promise<void>;
}

/**
 * Remembers which events a consumer group has handled, in the same transaction as the handler's
 * writes (infra/persistence implements it on MikroORM). `session` is that transaction's handle.
 */
export interface Inbox<TSession = unknown> {
  /**
   * Runs `work` and records (consumerGroup, eventId) in one transaction, or does nothing and answers
   * 'duplicate' when the pair is already recorded. A failing `work` records nothing.
   */
  handleOnce(
    consumerGroup: string,
    eventId: string,
    work: (session: TSession) => Promise<void>,
  ): Promise<'handled' | 'duplicate'>;
  /**
   * Optional: `handleOnce` for several events in one transaction, in the given order; answers one
   * outcome per item. All or nothing: if any work fails, nothing is recorded and it rejects, and
   * the caller handles the items one by one (the failing one with its retries and dead letter).
   */
  handleBatchOnce?(
    consumerGroup: string,
    items: readonly InboxItem<TSession>[],
  ): Promise<('handled' | 'duplicate')[]>;
}
