/*
 * Resuming a feed, as Centrifugo does for its streams: a client says which epoch and position it
 * holds; the feed answers what came after, or says it cannot ("not recovered"), and the client
 * reloads the whole list instead of showing a feed with a hole in it.
 */

/** The most notifications one resume answers; a client further behind asks again from the last it got. */
export const MAX_SINCE_LIMIT = 500;

/** What the client holds: everything up to `position` of the feed's run `epoch`. */
export interface FeedMark {
  readonly epoch: string;
  readonly position: number;
}

/** What the store still holds of a recipient's feed. */
export interface RetainedFeed {
  readonly epoch: string;
  /** The newest position handed out, 0 before the first notification. */
  readonly latestPosition: number;
  /** The oldest position still kept, or null when nothing is kept (none yet, or all pruned). */
  readonly oldestRetainedPosition: number | null;
}

/**
 * Whether what came after `mark` can be told in full. Position 0 holds nothing, so any epoch will
 * do for it (a client that has never seen the feed, or saw it before its first notification). A
 * mark from another epoch, or ahead of the feed (a feed that was reset and has not caught up), or
 * one whose next position has been pruned, cannot be resumed.
 */
export function canResumeFrom(mark: FeedMark, feed: RetainedFeed): boolean {
  if (mark.position === 0)
    return feed.oldestRetainedPosition === null
      ? feed.latestPosition === 0
      : feed.oldestRetainedPosition <= 1;
  if (mark.epoch !== feed.epoch || mark.position > feed.latestPosition) return false;
  if (mark.position === feed.latestPosition) return true;
  return feed.oldestRetainedPosition !== null && feed.oldestRetainedPosition <= mark.position + 1;
}
