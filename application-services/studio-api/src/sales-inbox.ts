import type { Inbox } from '@strata/events';
import type { ApplyOutcome } from './sale-change.ts';

/** What a sales handler reports back to the inbox: whether the read model counted the event. */
export interface SalesSession {
  outcome: ApplyOutcome | undefined;
}

/**
 * The sales read model is its own inbox: it remembers event ids atomically with its figures (one
 * Lua script in Redis), so there is no second store to record them in. This inbox only hands the
 * handler a session and answers 'duplicate' when the read model found the id already counted, so
 * the processor's outcome (and the rebuild's progress) tells applied events from redelivered ones.
 */
export class SalesInbox implements Inbox<SalesSession> {
  async handleOnce(
    _consumerGroup: string,
    _eventId: string,
    work: (session: SalesSession) => Promise<void>,
  ): Promise<'handled' | 'duplicate'> {
    const session: SalesSession = { outcome: undefined };
    await work(session);
    return session.outcome === 'duplicate' ? 'duplicate' : 'handled';
  }
}
