import { LockMode } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { EventEnvelope, EventHandler } from '@strata/events';
import type { Enrollment, LearningQueries } from '@strata/learning';
import type { MikroOrmUnitOfWork } from '@strata/persistence';
import type { Clock } from '@strata/shared-kernel';
import { jsonColumn } from './json-column.ts';
import { applyToOutline, catalogFactOf, OUTLINE_EVENTS } from './outline-projection.ts';
import { outlineRecordSchema, toCourseOutline } from './outline-record.ts';

/**
 * Learning reads the catalog's published language, never its code or tables: each outline event
 * merges into `learning_outlines` in the inbox's transaction. A course's events share one partition
 * (keyed by course id), so one consumer handles them one at a time, and the merge gives the same
 * outline in any order (applyToOutline). The row is still read `for update`: the rebuild
 * (`rebuild-outlines.ts`) replaces rows while this consumer runs, and a merge read before its swap
 * and written after it would put the replaced row back. (SQLite has one writer; the clause is
 * dropped there.)
 *
 * When the outline loses a lesson, the course's unfinished active enrollments are reviewed in the
 * same transaction: for a learner who had done every other lesson, the course is completed now
 * (CourseCompleted through the outbox, then a certificate).
 */
export function catalogOutlineHandlers(parts: {
  unitOfWork: MikroOrmUnitOfWork;
  /** Read through the unit of work's running session: inside `run`, the inbox's transaction. */
  queries: Pick<LearningQueries, 'unfinishedEnrollmentsIn'>;
  clock: Clock;
}): Record<string, EventHandler<SqlEntityManager>> {
  const keepOutline = async (envelope: EventEnvelope, session: SqlEntityManager): Promise<void> => {
    const payload = envelope.payload as Record<string, unknown>;
    const current = await session.findOne(
      outlineRecordSchema,
      { courseId: payload.courseId as string },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const before = current === null ? [] : jsonColumn(current.lessonIds);
    const next = applyToOutline(current, catalogFactOf(envelope));
    if (next === null) return;
    await session.upsert(outlineRecordSchema, next);
    const lost = before.some((lessonId) => !next.lessonIds.includes(lessonId));
    if (!lost) return;
    const outline = toCourseOutline(next);
    await parts.unitOfWork.run(
      async (scope) => {
        const enrollments = scope.repository<Enrollment>('Enrollment');
        for (const unfinished of await parts.queries.unfinishedEnrollmentsIn(outline.courseId)) {
          const enrollment = await enrollments.findById(unfinished.id);
          enrollment?.reviewCompletion(outline, parts.clock);
        }
      },
      { within: session },
    );
  };
  return Object.fromEntries(OUTLINE_EVENTS.map((type) => [type, keepOutline]));
}
