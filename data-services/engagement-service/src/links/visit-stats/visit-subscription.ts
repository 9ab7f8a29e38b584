import { LockMode } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { EventEnvelope, EventHandler } from '@strata/events';
import { visitsOf, type LinkVisited, type LinkVisitsRecorded } from '@strata/links';
import { linkVisitHourRecordSchema } from './link-visit-hour-record.ts';
import { foldVisit, hourOf, rollupIdOf } from './visit-rollup.ts';

/** Visit ids per inbox statement. */
const CHUNK = 500;

/**
 * The hourly rollup's live feed, in the inbox's transaction, each visit counted once by its visit
 * id (the redirect path ships at least once). A LinkVisited (one visit, its envelope id the visit
 * id) is deduplicated by the inbox itself. A LinkVisitsRecorded (many visits of one link, ADR 0031)
 * records each visit id in the same inbox under the same consumer group, and folds only those not
 * there yet: a batch shipped again, whole or cut differently, adds nothing twice, and the rebuild
 * (rebuild-visit-stats.ts), which writes the visit ids it folded into that inbox, agrees with both.
 *
 * A link's visits share its partition, so one consumer folds them one event at a time; the rows
 * are still read `for update`, because the rebuild replaces rows while this consumer runs, and a
 * fold read before its swap and written after it would put the replaced row back. (SQLite has one
 * writer; the clause is dropped there.)
 */
export function visitRollupHandlers(consumerGroup: string): Record<string, EventHandler<SqlEntityManager>> {
  return {
    LinkVisited: (envelope, session) => foldVisits([envelope.payload as LinkVisited], session),
    LinkVisitsRecorded: async (envelope: EventEnvelope, session) => {
      const visits = visitsOf(envelope.payload as LinkVisitsRecorded);
      await foldVisits(await recordNewVisits(visits, consumerGroup, session), session);
    },
  };
}

/**
 * Records the visits' ids in the inbox and answers the visits whose id was not there. A visit id a
 * concurrent transaction is inserting (the rebuild's swap) makes the insert wait for it and then
 * fail as a duplicate: the processor runs the event again, and then finds it.
 */
async function recordNewVisits(
  visits: readonly LinkVisited[],
  consumerGroup: string,
  session: SqlEntityManager,
): Promise<LinkVisited[]> {
  const once = new Map(visits.map((visit) => [visit.visitId, visit]));
  const ids = [...once.keys()];
  const known = new Set<string>();
  for (let at = 0; at < ids.length; at += CHUNK) {
    const chunk = ids.slice(at, at + CHUNK);
    const rows = await session.execute<{ event_id: string }[]>(
      `select event_id from inbox where consumer_group = ? and event_id in (${chunk.map(() => '?').join(', ')})`,
      [consumerGroup, ...chunk],
    );
    for (const row of rows) known.add(row.event_id);
  }
  const fresh = ids.filter((id) => !known.has(id));
  const handledAt = Date.now();
  for (let at = 0; at < fresh.length; at += CHUNK) {
    const chunk = fresh.slice(at, at + CHUNK);
    await session.execute(
      `insert into inbox (consumer_group, event_id, handled_at) values ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
      chunk.flatMap((id) => [consumerGroup, id, handledAt]),
      'run',
    );
  }
  return fresh.map((id) => once.get(id)!);
}

/** Folds visits into their rows (link × hour), each row read once, in id order. */
async function foldVisits(visits: readonly LinkVisited[], session: SqlEntityManager): Promise<void> {
  const byRow = new Map<string, LinkVisited[]>();
  for (const visit of visits) {
    const id = rollupIdOf(visit.linkId, hourOf(visit.visitedAt));
    const row = byRow.get(id);
    if (row === undefined) byRow.set(id, [visit]);
    else row.push(visit);
  }
  for (const id of [...byRow.keys()].sort()) {
    let row = await session.findOne(
      linkVisitHourRecordSchema,
      { id },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    for (const visit of byRow.get(id)!) row = foldVisit(row, visit);
    await session.upsert(linkVisitHourRecordSchema, row!);
  }
}
