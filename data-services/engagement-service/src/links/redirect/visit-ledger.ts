import type { CachedLink } from './cached-link.ts';
import type { QueuedLinkVisits } from './queued-visit.ts';

/** What the ledger needs of a visit's link: its count's key, its cap, and what its batch is named. */
export type LedgerLink = Pick<CachedLink, 'linkId' | 'version' | 'slug' | 'maxVisits'>;

/**
 * Told once whether a visit was kept (`error` null, with its `visitsSoFar`) or not. It must not
 * throw: a ledger settles a whole commit's visits in one loop.
 */
export type VisitSettled = (error: Error | null, visitsSoFar: number) => void;

/**
 * Where visits are counted and queued for shipping, atomically. No database is written.
 */
export interface VisitLedger {
  /**
   * Counts and queues a visit (its JSON, visitJsonOf), and tells `settled` how many visits the
   * link had been granted before this one (`visitsSoFar` of resolveLink): with a cap of N, the
   * visits told 0 … N−1 are granted and queued, every later one is told N or more and is neither
   * counted nor queued. It is told once the visit is kept where every instance sees it, so no
   * redirect is answered before its visit is kept: a crash loses no visit that was answered. A
   * callback, not a promise: the hottest path makes no promise per visit (ADR 0061).
   */
  record(link: LedgerLink, visit: string, settled: VisitSettled): void;
  /** Settles the visits waiting for a commit (bounded in time), then lets go of its connections. */
  close(): Promise<void>;
}

/** One entry of the queue of visits not yet shipped: one group commit's batches, a batch per link. */
export interface QueuedVisits {
  readonly handle: string;
  readonly batches: readonly QueuedLinkVisits[];
}

/** The queue of visits not yet shipped, as the shipper drains it. */
export interface VisitQueue {
  /** Up to `count` queue entries (oldest first), each with the handle `acknowledge` takes. */
  take(count: number, waitMs: number): Promise<QueuedVisits[]>;
  /** Removes entries whose visits the broker acknowledged. */
  acknowledge(handles: readonly string[]): Promise<void>;
  /** Puts taken but unacknowledged entries back at the front: the broker refused them. */
  release(): void;
}
