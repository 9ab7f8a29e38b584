import type { AggregateRoot } from '@strata/shared-kernel';
import type { AggregateStorage } from './aggregate-mapping.ts';

/** A mapped aggregate's record: its stored fields by property name. */
export type StoredRecord = Record<string, unknown>;

/** An aggregate the command loaded or added. */
export interface Tracked {
  aggregate: AggregateRoot;
  storage: AggregateStorage;
  /** The record as loaded; absent for an aggregate the command created. */
  loaded?: StoredRecord;
}

/** What the commit writes for one aggregate. */
export type Change =
  | { kind: 'insert'; aggregate: AggregateRoot; storage: AggregateStorage; record: StoredRecord }
  | { kind: 'update'; aggregate: AggregateRoot; storage: AggregateStorage; fields: StoredRecord };

/**
 * Aggregates the command created, changed or made record events, with what to write for each:
 * only those are written and advance their version. A loaded aggregate's update names only the
 * fields whose value differs from the record as loaded, compared by value rather than by MikroORM's
 * change sets, which see a change in every SQLite datetime (stored as text, compared as a
 * timestamp) and in a fresh but equal Date.
 */
export function changesOf(tracked: Map<AggregateRoot, Tracked>): Change[] {
  const changes: Change[] = [];
  for (const { aggregate, storage, loaded } of tracked.values()) {
    const record = storage.toRecord(aggregate) as StoredRecord;
    if (loaded === undefined) {
      changes.push({ kind: 'insert', aggregate, storage, record });
      continue;
    }
    const fields: StoredRecord = {};
    for (const [field, value] of Object.entries(record))
      if (!sameValue(loaded[field], value)) fields[field] = value;
    if (Object.keys(fields).length > 0 || aggregate.pendingEvents.length > 0)
      changes.push({ kind: 'update', aggregate, storage, fields });
  }
  return changes;
}

function sameValue(stored: unknown, next: unknown): boolean {
  if (stored instanceof Date && next instanceof Date) return stored.getTime() === next.getTime();
  if (typeof stored === 'object' && stored !== null && typeof next === 'object' && next !== null) {
    return JSON.stringify(stored) === JSON.stringify(next);
  }
  return Object.is(stored, next);
}
