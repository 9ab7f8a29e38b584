import type { AggregateRoot } from '@strata/shared-kernel';
import type { AggregateStorage } from './aggregate-mapping.ts';

/** An aggregate the command loaded or added, with the managed record that stores it. */
export interface Tracked {
  aggregate: AggregateRoot;
  /** The managed record the mapping keeps in step with a loaded aggregate; a created one has none until it is inserted. */
  entity?: object;
  storage: AggregateStorage;
  isNew: boolean;
  /** The record as loaded, to tell a changed aggregate from one only read. */
  loaded?: string;
}

/** A mapped aggregate's record takes its state before the flush, so MikroORM sees what changed. */
type StoredRecord = Record<string, unknown>;

/**
 * Aggregates the command created, changed or made record events, each with the record it is now:
 * only those are written and advance their version. Told by the aggregate's own record rather than
 * MikroORM's change sets, which see a change in every SQLite datetime (stored as text, compared as
 * a timestamp).
 */
export function changesOf(tracked: Map<AggregateRoot, Tracked>): { entry: Tracked; record: StoredRecord }[] {
  return [...tracked.values()]
    .map((entry) => ({ entry, record: entry.storage.toRecord(entry.aggregate) as StoredRecord }))
    .filter(
      ({ entry, record }) =>
        entry.isNew || entry.aggregate.pendingEvents.length > 0 || JSON.stringify(record) !== entry.loaded,
    );
}

/**
 * Copies a changed aggregate's record onto its managed entity, field by field and only where the
 * value differs, so the update names only the columns that changed (a fresh but equal Date would
 * otherwise be written back too).
 */
export function syncRecord(entry: Tracked, record: StoredRecord): void {
  const entity = entry.entity as StoredRecord;
  for (const [field, value] of Object.entries(record)) {
    if (!sameValue(entity[field], value)) entity[field] = value;
  }
}

function sameValue(stored: unknown, next: unknown): boolean {
  if (stored instanceof Date && next instanceof Date) return stored.getTime() === next.getTime();
  if (typeof stored === 'object' && stored !== null && typeof next === 'object' && next !== null) {
    return JSON.stringify(stored) === JSON.stringify(next);
  }
  return Object.is(stored, next);
}
