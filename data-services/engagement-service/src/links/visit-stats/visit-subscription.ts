import { LockMode } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { EventEnvelope, EventHandler } from '@strata/events';
import type { LinkVisited } from '@strata/links';
import { linkVisitHourRecordSchema } from './link-visit-hour-record.ts';
import { foldVisit, hourOf, rollupIdOf } from './visit-rollup.ts';

/**
 * The hourly rollup's live feed: each LinkVisited folds into its link's row for its hour, in the
 * inbox's transaction, so a visit shipped twice (the redirect path ships at least once, the envelope
 * id is the visit id) counts once. A link's visits share its partition, so one consumer folds them
 * one at a time; the row is still read `for update`, because the rebuild (rebuild-visit-stats.ts)
 * replaces rows while this consumer runs, and a fold read before its swap and written after it
 * would put the replaced row back. (SQLite has one writer; the clause is dropped there.)
 */
export function visitRollupHandlers(): Record<string, EventHandler<SqlEntityManager>> {
  const fold = async (envelope: EventEnvelope, session: SqlEntityManager): Promise<void> => {
    const visit = envelope.payload as LinkVisited;
    const id = rollupIdOf(visit.linkId, hourOf(visit.visitedAt));
    const current = await session.findOne(
      linkVisitHourRecordSchema,
      { id },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    await session.upsert(linkVisitHourRecordSchema, foldVisit(current, visit));
  };
  return { LinkVisited: fold };
}
