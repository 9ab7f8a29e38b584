/**
 * How much of a feed the platform keeps: at most `perRecipient` notifications a recipient (the
 * newest) and none older than `maxAgeDays`. What falls out can no longer be resumed from: a client
 * behind it is told "not recovered" and reloads the list (ADR 0022).
 */
export interface NotificationRetention {
  readonly perRecipient: number;
  readonly maxAgeDays: number;
}

export const DEFAULT_NOTIFICATION_RETENTION: NotificationRetention = { perRecipient: 1_000, maxAgeDays: 30 };

const DAY_MS = 86_400_000;

/** Notifications created before this moment are past retention. */
export function retainedSince(retention: NotificationRetention, now: Date): Date {
  return new Date(now.getTime() - retention.maxAgeDays * DAY_MS);
}

/** The highest position past retention by count once the feed reaches `latestPosition` (0: none). */
export function prunedUpTo(retention: NotificationRetention, latestPosition: number): number {
  return Math.max(0, latestPosition - retention.perRecipient);
}
