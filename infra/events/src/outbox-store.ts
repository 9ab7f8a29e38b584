import type { EventEnvelope } from './event-envelope.ts';

/** One unsent event as the relay reads it from the outbox, oldest first. */
export interface OutboxRow {
  /** Insertion order; the relay publishes in this order. */
  sequence: number;
  topic: string;
  envelope: EventEnvelope;
  createdAtMs: number;
}

/** The outbox table as the relay sees it (infra/persistence implements it on MikroORM). */
export interface OutboxStore {
  /** The oldest unsent rows in insertion order. */
  fetchUnsent(limit: number): Promise<OutboxRow[]>;
  /** Marks rows sent; called only after the broker acknowledged them. */
  markSent(sequences: readonly number[]): Promise<void>;
  /**
   * Optional: calls `listener` when a transaction of this process committed outbox rows, so the
   * relay wakes at once instead of at its next poll; answers the unsubscribe.
   */
  onCommit?(listener: () => void): () => void;
  /** For the lag metric: how many rows wait and since when. */
  backlog(): Promise<{ unsent: number; oldestCreatedAtMs: number | null }>;
}

/** Whoever holds it is the only relay of its data service that publishes. */
export interface LeaderLock {
  /** Tries to become leader without waiting; true while this instance holds the lock. */
  tryAcquire(): Promise<boolean>;
  /** Whether the lock is still held (the connection holding it may have died). */
  isHeld(): Promise<boolean>;
  /** Gives the lock up if held, and lets go of whatever tried for it (a standby calls it too). */
  release(): Promise<void>;
}

/** Embedded mode has one process, so it is always the leader. */
export class SoleLeader implements LeaderLock {
  async tryAcquire(): Promise<boolean> {
    return true;
  }
  async isHeld(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {}
}
