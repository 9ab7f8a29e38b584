import {
  Enrollment,
  type EnrollmentId,
  type EnrollmentSnapshot,
  type EnrollmentStatus,
} from '@strata/learning';
import { aggregateMapping, recordSchema } from '@strata/persistence';
import { jsonColumn } from './json-column.ts';

type EnrollmentSource = EnrollmentSnapshot['source'];

/** A completed lesson as the JSON column holds it: the date as ISO text, so both databases read it alike. */
interface StoredLesson {
  lessonId: string;
  completedAt: string;
}

/** An enrollment as the `enrollments` table holds it: the row MikroORM loads and flushes. */
export interface EnrollmentRecord {
  id: string;
  version: number;
  learnerId: string;
  courseId: string;
  status: EnrollmentStatus;
  source: EnrollmentSource;
  grantedAt: Date | null;
  /**
   * `grantedAt` in epoch milliseconds: the key "my courses" pages on (newest grant first), an
   * integer both databases compare and bind alike, where a datetime's text differs between them.
   */
  grantedAtMs: number | null;
  revokedAt: Date | null;
  completedLessons: StoredLesson[];
  completedAt: Date | null;
  refundedOrderIds: string[];
  paidOrderIds: string[];
}

/*
 * The completed lessons are one JSON column, not child rows: there are at most an outline's 200,
 * they are always read and written with their enrollment, and the one reader across enrollments
 * ("my courses", counting the ones still in today's outline) does it with the database's JSON
 * functions in the same query. The order ids are JSON for the same reason (a handful at most).
 *
 * (learner_id, course_id) is unique: one enrollment per learner and course however often OrderPaid
 * arrives, whichever consumer inserts first; the other meets the index and its inbox transaction
 * is retried, finding the enrollment. (learner_id, granted_at_ms, id) pages "my courses";
 * (course_id, status) finds a course's unfinished enrollments and counts its learners.
 */
export const enrollmentRecordSchema = recordSchema<EnrollmentRecord>({
  name: 'EnrollmentRecord',
  tableName: 'enrollments',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    learnerId: { type: 'string', length: 36 },
    courseId: { type: 'string', length: 36 },
    status: { type: 'string', length: 16 },
    source: { type: 'json' },
    grantedAt: { type: 'datetime', nullable: true },
    grantedAtMs: { type: 'double', nullable: true },
    revokedAt: { type: 'datetime', nullable: true },
    completedLessons: { type: 'json' },
    completedAt: { type: 'datetime', nullable: true },
    refundedOrderIds: { type: 'json' },
    paidOrderIds: { type: 'json' },
  },
  uniques: [{ name: 'enrollments_learner_course', properties: ['learnerId', 'courseId'] }],
  indexes: [
    { name: 'enrollments_learner_granted', properties: ['learnerId', 'grantedAtMs', 'id'] },
    { name: 'enrollments_course_status', properties: ['courseId', 'status'] },
  ],
});

const dateOf = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

export function toEnrollment(record: EnrollmentRecord): Enrollment {
  return Enrollment.restore({
    id: record.id as EnrollmentId,
    version: record.version,
    learnerId: record.learnerId,
    courseId: record.courseId,
    status: record.status,
    source: jsonColumn(record.source),
    grantedAt: dateOf(record.grantedAt),
    revokedAt: dateOf(record.revokedAt),
    completedLessons: jsonColumn(record.completedLessons).map((lesson) => ({
      lessonId: lesson.lessonId,
      completedAt: new Date(lesson.completedAt),
    })),
    completedAt: dateOf(record.completedAt),
    refundedOrderIds: jsonColumn(record.refundedOrderIds),
    paidOrderIds: jsonColumn(record.paidOrderIds),
  });
}

export function toEnrollmentRecord(enrollment: Enrollment): EnrollmentRecord {
  const snapshot = enrollment.toSnapshot();
  return {
    id: snapshot.id,
    version: snapshot.version,
    learnerId: snapshot.learnerId,
    courseId: snapshot.courseId,
    status: snapshot.status,
    source:
      snapshot.source.kind === 'order'
        ? { kind: 'order', orderId: snapshot.source.orderId }
        : { kind: 'free' },
    grantedAt: snapshot.grantedAt,
    grantedAtMs: snapshot.grantedAt?.getTime() ?? null,
    revokedAt: snapshot.revokedAt,
    completedLessons: snapshot.completedLessons.map((lesson) => ({
      lessonId: lesson.lessonId,
      completedAt: lesson.completedAt.toISOString(),
    })),
    completedAt: snapshot.completedAt,
    refundedOrderIds: [...snapshot.refundedOrderIds],
    paidOrderIds: [...snapshot.paidOrderIds],
  };
}

/** What the unit of work needs to load and save enrollments. */
export const enrollmentStorage = aggregateMapping({
  schema: enrollmentRecordSchema,
  toAggregate: toEnrollment,
  toRecord: toEnrollmentRecord,
});
