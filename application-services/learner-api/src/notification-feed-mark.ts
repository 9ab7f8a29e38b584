import { lastEventIdOf } from '@strata/push';
import { RpcError } from '@strata/shared-kernel';

/** A feed's place as learner-api shows it beside a list or a count: what the live stream resumes from. */
export interface FeedMark {
  readonly epoch: string | null;
  readonly latestPosition: number;
  readonly streamMark: string;
}

export function feedMarkOf(epoch: string | null, latestPosition: number): FeedMark {
  return { epoch, latestPosition, streamMark: lastEventIdOf({ epoch, position: latestPosition }) };
}

/**
 * A learner who has never been notified has no feed: the notification context answers NOT_FOUND,
 * which is an empty feed at position 0 to the learner.
 */
export function orEmptyFeed<T>(empty: T): (error: unknown) => T {
  return (error: unknown) => {
    if (error instanceof RpcError && error.code === 'NOT_FOUND' && error.reason === 'aggregate-not-found')
      return empty;
    throw error;
  };
}
