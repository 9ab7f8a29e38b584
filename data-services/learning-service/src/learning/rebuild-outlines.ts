import { DeadlockException, LockMode, LockWaitTimeoutException } from '@mikro-orm/core';
import { catalogContract } from '@strata/catalog/contract';
import {
  contractEventCatalog,
  messageBody,
  parseEnvelope,
  replayTopic,
  topicEndOffsets,
  topicFor,
  type DeliveredMessage,
  type MessageProcessor,
  type PartitionOffset,
} from '@strata/events';
import type { Database } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { jsonColumn } from './json-column.ts';
import { applyToOutline, catalogFactOf, OUTLINE_EVENTS } from './outline-projection.ts';
import { outlineRecordSchema, type OutlineRecord } from './outline-record.ts';

/** How far a rebuild has come. */
export interface OutlineRebuildProgress {
  /** Events read from the catalog's topic. */
  read: number;
  /** Outline events folded into the rebuilt outlines (a redelivered one counts again: folding is idempotent). */
  applied: number;
  /** The catalog's other events (CourseDrafted, CourseDetailsEdited, …): nothing learning keeps. */
  skipped: number;
  /** Envelopes the catalog contract refuses; the live consumer dead-letters them too. */
  failed: number;
  /** Courses with an outline so far. */
  courses: number;
}

export interface OutlineRebuildOutcome extends OutlineRebuildProgress {
  /** Courses whose live row differed from the rebuilt one and was replaced. */
  changed: string[];
  /** Courses the rebuild found that had no live row. */
  added: string[];
  /** Courses with a live row but no event on the topic, deleted because `dropUnheard` was asked for. */
  dropped: string[];
  /** Where each failed event sits on the topic, and why. */
  failures: { partition: number; offset: string; reason: string }[];
}

/** The rebuild stopped before touching `learning_outlines`; the message says why and what to do. */
export class OutlineRebuildRefused extends Error {
  override readonly name = 'OutlineRebuildRefused';
}

const LOCKED_SWAP_ATTEMPTS = 3;
const INSERT_CHUNK = 500;

/** A row as the projection knows it, whatever the driver made of its JSON and boolean columns. */
const comparable = (record: OutlineRecord) =>
  JSON.stringify({
    instructorId: record.instructorId,
    published: Boolean(record.published),
    priceAmount: record.priceAmount,
    lessons: jsonColumn(record.lessons),
    reorderedLessonIds: jsonColumn(record.reorderedLessonIds),
    reorderVersion: record.reorderVersion,
    lessonIds: jsonColumn(record.lessonIds),
    lessonCount: record.lessonCount,
    priceVersion: record.priceVersion,
    listingVersion: record.listingVersion,
  });

/**
 * Rebuilds `learning_outlines` from the catalog's topic, while learning-service keeps consuming.
 *
 * Why not a shadow table renamed over the live one: the live consumer goes on merging events into
 * the live table during the replay, and a rename would drop whatever it merged after the replay's
 * end. Why not one long transaction: it would hold the live consumer off for the whole replay.
 * So, in two steps:
 *
 * 1. Replay, without a lock: every event from each partition's first retained offset up to its end
 *    as of now, folded in memory by the live consumer's own `applyToOutline`. The outlines are
 *    small (ids and versions), so memory is courses × lessons, not events.
 * 2. Swap, in one transaction: lock every live row and the gaps between them (`select … for update`
 *    over the whole key); read the topic's ends again and fold what arrived since step 1; replace
 *    the table's rows with the rebuilt ones; commit. Every event the live consumer committed
 *    before the lock sits below the new ends, so the rebuild has it too; every later one is the
 *    live consumer's, which reads its row `for update` (catalog-subscription.ts), so it waits for
 *    the commit and merges into the rebuilt row. Merging twice changes nothing (per-field
 *    versions), so an event both apply is harmless. A catch-up round runs before the lock so that
 *    the locked one has almost nothing left to read; readers (my courses, complete a lesson) never
 *    wait, as plain reads take no lock.
 *
 * Not replayed: the live consumer's reaction to a lost lesson (reviewing enrollments, which may
 * complete a course). A rebuild repairs the projection, it publishes nothing; `changed` names the
 * courses whose outline it corrected.
 *
 * A live course that no event on the topic mentions (a wrong namespace, or events older than the
 * topic's retention) would be deleted: the rebuild refuses, unless `dropUnheard` says to drop them.
 */
export async function rebuildLearningOutlines(options: {
  database: Database;
  brokers: string[];
  /** The deployment's name in the topic; see STRATA_EVENT_NAMESPACE. */
  namespace?: string;
  dropUnheard?: boolean;
  /** Called after every `progressEvery` events read. */
  onProgress?: (progress: OutlineRebuildProgress) => void;
  progressEvery?: number;
}): Promise<OutlineRebuildOutcome> {
  const topic = topicFor(catalogContract.context, options.namespace);
  const schema = contractEventCatalog(catalogContract).schema;
  const outlines = new Map<string, OutlineRecord>();
  const progress: OutlineRebuildProgress = { read: 0, applied: 0, skipped: 0, failed: 0, courses: 0 };
  const failures: OutlineRebuildOutcome['failures'] = [];
  const every = options.progressEvery ?? 1_000;
  const outlineEvents = new Set<string>(OUTLINE_EVENTS);

  const folding: MessageProcessor = {
    consumerGroup: `learning-service.outlines-rebuild-${newId()}`,
    process: async (message: DeliveredMessage) => {
      progress.read += 1;
      let outcome: 'handled' | 'skipped' | 'dead-lettered';
      try {
        const envelope = parseEnvelope(messageBody(message.value), schema);
        if (outlineEvents.has(envelope.type)) {
          const courseId = (envelope.payload as { courseId: string }).courseId;
          const next = applyToOutline(outlines.get(courseId) ?? null, catalogFactOf(envelope));
          if (next !== null) outlines.set(courseId, next);
          progress.applied += 1;
          progress.courses = outlines.size;
          outcome = 'handled';
        } else {
          progress.skipped += 1;
          outcome = 'skipped';
        }
      } catch (error) {
        progress.failed += 1;
        failures.push({
          partition: message.partition,
          offset: message.offset,
          reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        outcome = 'dead-lettered';
      }
      if (progress.read % every === 0) options.onProgress?.({ ...progress });
      return outcome;
    },
  };
  let readUpTo: PartitionOffset[] = [];
  const catchUp = async (): Promise<void> => {
    const ends = await topicEndOffsets(options.brokers, topic);
    await replayTopic({
      brokers: options.brokers,
      topic,
      // The first round starts at each partition's first retained event (the earliest at or after
      // the epoch), the next ones where the previous stopped.
      from: readUpTo.length === 0 ? { time: new Date(0) } : { offsets: readUpTo },
      until: ends,
      processor: folding,
    });
    readUpTo = ends;
  };

  // Step 1: from each partition's start, then once more for what arrived meanwhile, without a lock.
  await catchUp();
  await catchUp();

  // Step 2: the locked swap. A deadlock with the live consumer (both want a gap of the key) rolls
  // one side back; the consumer retries its event, the rebuild its swap.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await options.database.em().transactional(async (tx) => {
        const live = await tx.find(
          outlineRecordSchema,
          {},
          { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { courseId: 'asc' } },
        );
        await catchUp();
        const liveById = new Map(live.map((record) => [record.courseId, comparable(record)]));
        const unheard = live.map((record) => record.courseId).filter((courseId) => !outlines.has(courseId));
        if (unheard.length > 0 && options.dropUnheard !== true) {
          throw new OutlineRebuildRefused(
            `${unheard.length} of ${live.length} courses in learning_outlines have no event on ${topic} ` +
              `(e.g. ${unheard.slice(0, 3).join(', ')}): a wrong event namespace, or events older than the ` +
              `topic's retention. Nothing was changed; rebuild with --drop-unheard to delete them.`,
          );
        }
        const rebuilt = [...outlines.values()].sort((a, b) => (a.courseId < b.courseId ? -1 : 1));
        const changed: string[] = [];
        const added: string[] = [];
        for (const record of rebuilt) {
          const was = liveById.get(record.courseId);
          if (was === undefined) added.push(record.courseId);
          else if (was !== comparable(record)) changed.push(record.courseId);
        }
        // The locked rows were only read: forget them, so the flush at commit has nothing of them to write.
        tx.clear();
        await tx.nativeDelete(outlineRecordSchema, {});
        for (let at = 0; at < rebuilt.length; at += INSERT_CHUNK) {
          await tx.insertMany(outlineRecordSchema, rebuilt.slice(at, at + INSERT_CHUNK));
        }
        progress.courses = outlines.size;
        return { ...progress, changed, added, dropped: unheard, failures };
      });
    } catch (error) {
      const contention = error instanceof DeadlockException || error instanceof LockWaitTimeoutException;
      if (!contention || attempt >= LOCKED_SWAP_ATTEMPTS) throw error;
    }
  }
}
