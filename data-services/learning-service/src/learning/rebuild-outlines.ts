import { LockMode } from '@mikro-orm/core';
import { catalogContract } from '@strata/catalog/contract';
import { contractEventCatalog, topicFor } from '@strata/events';
import { rebuildByReplay, type Database, type ReplayFailure, type ReplayProgress } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { jsonColumn } from './json-column.ts';
import { applyToOutline, catalogFactOf, OUTLINE_EVENTS } from './outline-projection.ts';
import { outlineRecordSchema, type OutlineRecord } from './outline-record.ts';

/** How far a rebuild has come. */
export interface OutlineRebuildProgress extends ReplayProgress {
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
  failures: ReplayFailure[];
}

/** The rebuild stopped before touching `learning_outlines`; the message says why and what to do. */
export class OutlineRebuildRefused extends Error {
  override readonly name = 'OutlineRebuildRefused';
}

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
 * Rebuilds `learning_outlines` from the catalog's topic, while learning-service keeps consuming:
 * `rebuildByReplay`'s replay and locked swap (@strata/persistence), the outlines folded in memory
 * by the live consumer's own `applyToOutline`. The outlines are small (ids and versions), so memory
 * is courses × lessons, not events. The live consumer reads its row `for update`
 * (catalog-subscription.ts), so an event it handles during the swap merges into the rebuilt row;
 * merging twice changes nothing (per-field versions), so an event both apply is harmless. Readers
 * (my courses, complete a lesson) never wait, as plain reads take no lock.
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
  const outlines = new Map<string, OutlineRecord>();
  const progress: OutlineRebuildProgress = { read: 0, applied: 0, skipped: 0, failed: 0, courses: 0 };
  const outlineEvents = new Set<string>(OUTLINE_EVENTS);

  return rebuildByReplay({
    database: options.database,
    brokers: options.brokers,
    topics: [topic],
    schema: contractEventCatalog(catalogContract).schema,
    consumerGroup: `learning-service.outlines-rebuild-${newId()}`,
    progress,
    progressEvery: options.progressEvery ?? 1_000,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    fold: (envelope) => {
      if (!outlineEvents.has(envelope.type)) {
        progress.skipped += 1;
        return 'skipped';
      }
      const courseId = (envelope.payload as { courseId: string }).courseId;
      const next = applyToOutline(outlines.get(courseId) ?? null, catalogFactOf(envelope));
      if (next !== null) outlines.set(courseId, next);
      progress.applied += 1;
      progress.courses = outlines.size;
      return 'handled';
    },
    lockLive: (tx) =>
      tx.find(
        outlineRecordSchema,
        {},
        { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { courseId: 'asc' } },
      ),
    swap: async (tx, live, failures) => {
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
    },
  });
}
