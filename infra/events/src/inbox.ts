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
}
