/** Everything a recipient's feed is, as one immutable value (`toSnapshot()` / `NotificationFeed.restore()`). */
export interface NotificationFeedSnapshot {
  /** The recipient's user id: a person has one feed. */
  readonly id: string;
  readonly version: number;
  readonly epoch: string;
  /** The newest position handed out; 0 before the first notification. */
  readonly latestPosition: number;
  /** Everything up to here was marked read at once; 0 when never. */
  readonly readUpTo: number;
  /** When the feed was last marked read up to `readUpTo`; null when never. */
  readonly readUpToAt: Date | null;
  readonly startedAt: Date;
}
