import type { Database } from './open-database.ts';

const listeners = new WeakMap<Database, Set<() => void>>();

/**
 * Tells the relay of the same process that a transaction with outbox rows committed, so it
 * publishes now instead of at its next poll. Only a hint: a relay in another process (or a
 * lost signal) still finds the rows by polling.
 */
export function signalOutboxCommit(database: Database): void {
  for (const listener of listeners.get(database) ?? []) listener();
}

/** Subscribes to `signalOutboxCommit` on this database; answers the unsubscribe. */
export function onOutboxCommit(database: Database, listener: () => void): () => void {
  const set = listeners.get(database) ?? new Set();
  set.add(listener);
  listeners.set(database, set);
  return () => set.delete(listener);
}
