import type { SqlEntityManager } from '@mikro-orm/sql';
import type { CertificateView, CourseLearningStats, LearnerCourse } from '@strata/learning/contract';
import {
  toCertificateView,
  type CourseOutline,
  type Enrollment,
  type EnrollmentStatus,
  type InstructorStatsQuery,
  type LearnerCertificatesQuery,
  type LearnerCoursesQuery,
  type LearningQueries,
} from '@strata/learning';
import type { Page } from '@strata/shared-kernel';
import { decodeCursor, encodeCursor } from '@strata/persistence';
import { certificateRecordSchema, toCertificate } from './certificate-record.ts';
import { enrollmentRecordSchema, toEnrollment } from './enrollment-record.ts';
import { outlineRecordSchema, toCourseOutline } from './outline-record.ts';

/*
 * "My courses" in one query: each enrollment with its progress against the outline as it is now,
 * counted by the database from the two JSON columns (the lessons completed, the outline's lesson
 * ids), so a learner with fifty courses costs one round trip, not fifty. The learner, the page key
 * and the limit are bound, never spliced in.
 */
const LESSONS_DONE = {
  mysql: `(select count(*) from json_table(e.completed_lessons, '$[*]' columns (lesson_id char(36) path '$.lessonId')) as done
            where json_contains(o.lesson_ids, json_quote(done.lesson_id)))`,
  sqlite: `(select count(*) from json_each(e.completed_lessons) as done
            where exists (select 1 from json_each(o.lesson_ids) as outline
                          where outline.value = json_extract(done.value, '$.lessonId')))`,
};

const coursesOfLearnerSql = (dialect: 'mysql' | 'sqlite', resume: boolean) => `
  select e.id, e.course_id, e.status, e.granted_at_ms, e.completed_at,
         coalesce(o.lesson_count, 0) as lesson_count,
         ${LESSONS_DONE[dialect]} as lessons_done
    from enrollments e left join learning_outlines o on o.course_id = e.course_id
   where e.learner_id = ? and e.status in ('active', 'revoked')
     ${resume ? 'and (e.granted_at_ms < ? or (e.granted_at_ms = ? and e.id < ?))' : ''}
   order by e.granted_at_ms desc, e.id desc
   limit ?`;

/** One instructor's courses (from the outlines) with their enrollments counted, paged by course id. */
const STATS_OF_INSTRUCTOR = (resume: boolean) => `
  select o.course_id,
         count(e.id) as enrollments,
         coalesce(sum(case when e.status = 'active' then 1 else 0 end), 0) as active_learners,
         coalesce(sum(case when e.completed_at is not null then 1 else 0 end), 0) as completions
    from learning_outlines o
    left join enrollments e on e.course_id = o.course_id and e.status <> 'withheld'
   where o.instructor_id = ? ${resume ? 'and o.course_id > ?' : ''}
   group by o.course_id
   order by o.course_id
   limit ?`;

interface LearnerCourseRow {
  id: string;
  course_id: string;
  status: EnrollmentStatus;
  granted_at_ms: number | string | null;
  completed_at: Date | string | number | null;
  lesson_count: number | string;
  lessons_done: number | string;
}

/** "My courses"' page key: the grant's epoch milliseconds and the enrollment id. */
const LEARNER_COURSE_KEY = /^\d{1,15}_[0-9a-f-]{36}$/;

/** A datetime as a raw query answers it: text in UTC on MariaDB, epoch milliseconds or text on SQLite. */
function instantOf(value: Date | string | number): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || /^\d+$/.test(value)) return new Date(Number(value));
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

/**
 * Learning's queries on MikroORM, through the running unit of work's session (inside a call, the
 * call's transaction; inside an event handler's unit of work, the inbox's). Pages are keyset pages.
 */
export class SqlLearningQueries implements LearningQueries {
  readonly #session: () => SqlEntityManager;
  readonly #dialect: 'mysql' | 'sqlite';

  constructor(session: () => SqlEntityManager, dialect: 'mysql' | 'sqlite') {
    this.#session = session;
    this.#dialect = dialect;
  }

  async outlineOf(courseId: string): Promise<CourseOutline | null> {
    const record = await this.#session().findOne(outlineRecordSchema, { courseId });
    return record === null ? null : toCourseOutline(record);
  }

  async enrollmentOf(learnerId: string, courseId: string): Promise<Enrollment | null> {
    const record = await this.#session().findOne(enrollmentRecordSchema, { learnerId, courseId });
    return record === null ? null : toEnrollment(record);
  }

  async unfinishedEnrollmentsIn(courseId: string): Promise<Enrollment[]> {
    const records = await this.#session().find(
      enrollmentRecordSchema,
      { courseId, status: 'active', completedAt: null },
      { orderBy: { id: 'asc' } },
    );
    return records.map(toEnrollment);
  }

  async coursesOfLearner(query: LearnerCoursesQuery): Promise<Page<LearnerCourse>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, LEARNER_COURSE_KEY);
    const [afterMs, afterId] = after === undefined ? [] : after.split('_');
    const resume =
      afterMs === undefined || afterId === undefined ? [] : [Number(afterMs), Number(afterMs), afterId];
    const rows = await this.#session().execute<LearnerCourseRow[]>(
      coursesOfLearnerSql(this.#dialect, resume.length > 0),
      [query.learnerId, ...resume, query.limit + 1],
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((row) => ({
        enrollmentId: row.id,
        courseId: row.course_id,
        status: row.status,
        lessonCount: Number(row.lesson_count),
        lessonsDone: Number(row.lessons_done),
        completedAt: row.completed_at === null ? null : instantOf(row.completed_at).toISOString(),
        grantedAt: row.granted_at_ms === null ? null : new Date(Number(row.granted_at_ms)).toISOString(),
      })),
      nextCursor:
        rows.length > query.limit && last !== undefined
          ? encodeCursor(`${Number(last.granted_at_ms)}_${last.id}`)
          : null,
    };
  }

  async statsOfInstructor(query: InstructorStatsQuery): Promise<Page<CourseLearningStats>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.#session().execute<
      {
        course_id: string;
        enrollments: number | string;
        active_learners: number | string;
        completions: number | string;
      }[]
    >(STATS_OF_INSTRUCTOR(after !== undefined), [
      query.instructorId,
      ...(after === undefined ? [] : [after]),
      query.limit + 1,
    ]);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((row) => {
        const enrollments = Number(row.enrollments);
        const completions = Number(row.completions);
        return {
          courseId: row.course_id,
          enrollments,
          activeLearners: Number(row.active_learners),
          completions,
          completionRate: enrollments === 0 ? 0 : completions / enrollments,
        };
      }),
      nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(last.course_id) : null,
    };
  }

  /** Newest first: certificate ids are time-ordered (UUIDv7), so (learner_id, id) descending is the page order. */
  async certificatesOfLearner(query: LearnerCertificatesQuery): Promise<Page<CertificateView>> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const records = await this.#session().find(
      certificateRecordSchema,
      before === undefined
        ? { learnerId: query.learnerId }
        : { learnerId: query.learnerId, id: { $lt: before } },
      { orderBy: { id: 'desc' }, limit: query.limit + 1 },
    );
    const items = records.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((record) => toCertificateView(toCertificate(record))),
      nextCursor: records.length > query.limit && last !== undefined ? encodeCursor(last.id) : null,
    };
  }
}
