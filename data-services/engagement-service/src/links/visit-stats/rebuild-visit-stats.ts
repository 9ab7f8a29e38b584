import { LockMode } from '@mikro-orm/core';
import { contractEventCatalog, contractTopics } from '@strata/events';
import { visitsOf, type LinkVisited, type LinkVisitsRecorded } from '@strata/links';
import { linksContract } from '@strata/links/contract';
import { rebuildByReplay, type Database, type ReplayFailure, type ReplayProgress } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { linkVisitHourRecordSchema, type LinkVisitHourRecord } from './link-visit-hour-record.ts';
import { foldVisit, hourOf, rollupIdOf } from './visit-rollup.ts';

/** How far a rebuild has come. */
export interface VisitStatsRebuildProgress extends ReplayProgress {
  /** Visits folded into the rebuilt rollup (each visit id once). */
  visits: number;
  /** Visits read again under an id already folded (shipped more than once): not counted again. */
  repeated: number;
  /** The links' other events (ShortLinkCreated, …). */
  skipped: number;
  /** Rows (link × hour) so far. */
  rows: number;
}

export interface VisitStatsRebuildOutcome extends VisitStatsRebuildProgress {
  /** Rows whose live content differed from the rebuilt one and were replaced (`<linkId>/<hour>`). */
  changed: string[];
  /** Rows the rebuild made that the live table did not have. */
  added: string[];
  /** Live rows no visit on the topics accounts for, deleted because `dropUnheard` was asked for. */
  dropped: string[];
  failures: ReplayFailure[];
}

/** The rebuild stopped before touching `link_visit_hours`; the message says why and what to do. */
export class VisitStatsRebuildRefused extends Error {
  override readonly name = 'VisitStatsRebuildRefused';
}

const CHUNK = 500;

/**
 * What the live rollup reads (composeDataService subscribes it to the same list), in the order a
 * rebuild replays them: the links topic, where instances older than ADR 0063 shipped visits (and
 * still do during a rolling upgrade), then the visits' own topic. Both as long as the links topic
 * may hold visits: its retention.
 */
export function visitStatsTopics(namespace: string | undefined): string[] {
  return contractTopics(linksContract, namespace);
}

/** The live consumer's group, as composeDataService names it: its inbox rows are keyed by it. */
export function visitRollupConsumerGroup(namespace: string | undefined): string {
  return `${namespace === undefined ? '' : `${namespace}.`}engagement-service.links`;
}

const comparable = (row: LinkVisitHourRecord): string =>
  JSON.stringify([
    row.visits,
    row.botVisits,
    row.visitorSketch,
    row.referrerHosts,
    row.browserFamilies,
    row.linkId,
    row.hour,
  ]);

/**
 * Rebuilds `link_visit_hours` from the links' topics, while engagement-service keeps consuming:
 * `rebuildByReplay`'s replay and locked swap (@strata/persistence), as the learning outlines, with
 * one difference. A visit adds to a count, so folding one twice is not harmless as an outline
 * event's merge is: the live consumer's inbox must agree with the rebuilt rows about which visits
 * they hold.
 *
 * 1. Replay: each visit folded once by the live consumer's own `foldVisit` (a Set of visit ids, the
 *    visits of a LinkVisitsRecorded one by one as of a LinkVisited; a link's visits share a
 *    partition of a topic, so they fold in the order the live consumer folded them, except where
 *    one link's visits of one hour are on both topics: ADR 0063 says what that changes).
 * 2. Swap, in the locked transaction: record every folded visit in the live consumer's inbox
 *    (`insert ignore`: most are there), then replace the rows. A visit the live consumer handles
 *    during the swap waits for its row (read `for update`, visit-subscription.ts) and then either
 *    finds its id in the inbox (the rebuild had it: skipped) or folds into the rebuilt row (it did
 *    not). When both insert the same inbox id at once InnoDB picks a deadlock victim: the consumer
 *    retries its event, the rebuild its swap.
 *
 * Live rows that no visit on the topics accounts for (a wrong namespace, visits older than the
 * topics' retention) would be deleted: the rebuild refuses unless `dropUnheard` says to drop them.
 * MariaDB/MySQL only (distributed mode); embedded mode's in-process broker keeps no history.
 */
export async function rebuildLinkVisitStats(options: {
  database: Database;
  brokers: string[];
  /** The deployment's name in the topic and the consumer group; see STRATA_EVENT_NAMESPACE. */
  namespace?: string;
  dropUnheard?: boolean;
  onProgress?: (progress: VisitStatsRebuildProgress) => void;
  progressEvery?: number;
}): Promise<VisitStatsRebuildOutcome> {
  const topics = visitStatsTopics(options.namespace);
  const rows = new Map<string, LinkVisitHourRecord>();
  const folded = new Set<string>();
  const progress: VisitStatsRebuildProgress = {
    read: 0,
    visits: 0,
    repeated: 0,
    skipped: 0,
    failed: 0,
    rows: 0,
  };
  const group = visitRollupConsumerGroup(options.namespace);

  return rebuildByReplay({
    database: options.database,
    brokers: options.brokers,
    topics,
    schema: contractEventCatalog(linksContract).schema,
    consumerGroup: `engagement-service.visit-stats-rebuild-${newId()}`,
    progress,
    progressEvery: options.progressEvery ?? 10_000,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    fold: (envelope) => {
      const visits =
        envelope.type === 'LinkVisited'
          ? [envelope.payload as LinkVisited]
          : envelope.type === 'LinkVisitsRecorded'
            ? visitsOf(envelope.payload as LinkVisitsRecorded)
            : undefined;
      if (visits === undefined) {
        progress.skipped += 1;
        return 'skipped';
      }
      let handled = false;
      for (const visit of visits) {
        if (folded.has(visit.visitId)) {
          progress.repeated += 1;
          continue;
        }
        const id = rollupIdOf(visit.linkId, hourOf(visit.visitedAt));
        rows.set(id, foldVisit(rows.get(id) ?? null, visit));
        folded.add(visit.visitId);
        progress.visits += 1;
        handled = true;
      }
      progress.rows = rows.size;
      return handled ? 'handled' : 'skipped';
    },
    lockLive: (tx) =>
      tx.find(
        linkVisitHourRecordSchema,
        {},
        { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
      ),
    swap: async (tx, live, failures) => {
      const unheard = live.map((row) => row.id).filter((id) => !rows.has(id));
      if (unheard.length > 0 && options.dropUnheard !== true) {
        throw new VisitStatsRebuildRefused(
          `${unheard.length} of ${live.length} rows of link_visit_hours have no visit on ${topics.join(' or ')} ` +
            `(e.g. ${unheard.slice(0, 3).join(', ')}): a wrong event namespace, or visits older than the ` +
            `topics' retention. Nothing was changed; rebuild with --drop-unheard to delete them.`,
        );
      }
      const liveById = new Map(live.map((row) => [row.id, comparable(row)]));
      const rebuilt = [...rows.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      const changed: string[] = [];
      const added: string[] = [];
      for (const row of rebuilt) {
        const was = liveById.get(row.id);
        if (was === undefined) added.push(row.id);
        else if (was !== comparable(row)) changed.push(row.id);
      }
      const ids = [...folded];
      const handledAt = Date.now();
      for (let at = 0; at < ids.length; at += CHUNK) {
        const chunk = ids.slice(at, at + CHUNK);
        await tx.execute(
          `insert ignore into inbox (consumer_group, event_id, handled_at) values ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
          chunk.flatMap((id) => [group, id, handledAt]),
          'run',
        );
      }
      // The locked rows were only read: forget them, so the flush at commit has nothing of them to write.
      tx.clear();
      await tx.nativeDelete(linkVisitHourRecordSchema, {});
      for (let at = 0; at < rebuilt.length; at += CHUNK) {
        await tx.insertMany(linkVisitHourRecordSchema, rebuilt.slice(at, at + CHUNK));
      }
      progress.rows = rows.size;
      return { ...progress, changed, added, dropped: unheard, failures };
    },
  });
}
