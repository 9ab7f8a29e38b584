import { Course, CourseTitle, type CourseId, type CourseStatus, type Lesson } from '@strata/catalog';
import { aggregateMapping, recordSchema } from '@strata/persistence';
import { Money } from '@strata/shared-kernel';

/** A course as the `courses` table holds it: the row MikroORM loads and flushes. */
export interface CourseRecord {
  id: string;
  version: number;
  instructorId: string;
  title: string;
  description: string;
  status: CourseStatus;
  lessons: Lesson[];
  priceAmount: number | null;
  priceCurrency: string | null;
  draftedAt: Date;
  publishedAt: Date | null;
  firstPublishedAt: Date | null;
}

/**
 * Lessons live only inside their course and are always read and written with it, so they are one
 * JSON column rather than child rows; the price, a Money in the domain, is two columns here.
 */
export const courseRecordSchema = recordSchema<CourseRecord>({
  name: 'CourseRecord',
  tableName: 'courses',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    instructorId: { type: 'string', length: 36 },
    title: { type: 'string', length: 120 },
    description: { type: 'text' },
    status: { type: 'string', length: 16 },
    lessons: { type: 'json' },
    priceAmount: { type: 'integer', nullable: true },
    priceCurrency: { type: 'string', length: 3, nullable: true },
    draftedAt: { type: 'datetime' },
    publishedAt: { type: 'datetime', nullable: true },
    firstPublishedAt: { type: 'datetime', nullable: true },
  },
  indexes: [
    { name: 'courses_status_id', properties: ['status', 'id'] },
    { name: 'courses_instructor_id', properties: ['instructorId', 'id'] },
  ],
});

export function toCourse(record: CourseRecord): Course {
  return Course.restore({
    id: record.id as CourseId,
    version: record.version,
    instructorId: record.instructorId,
    title: CourseTitle.of(record.title),
    description: record.description,
    status: record.status,
    lessons: record.lessons,
    price:
      record.priceAmount === null || record.priceCurrency === null
        ? null
        : Money.of(record.priceAmount, record.priceCurrency),
    draftedAt: record.draftedAt,
    publishedAt: record.publishedAt,
    firstPublishedAt: record.firstPublishedAt,
  });
}

export function toCourseRecord(course: Course): CourseRecord {
  const snapshot = course.toSnapshot();
  return {
    id: snapshot.id,
    version: snapshot.version,
    instructorId: snapshot.instructorId,
    title: snapshot.title.value,
    description: snapshot.description,
    status: snapshot.status,
    lessons: snapshot.lessons.map((lesson) => ({ id: lesson.id, title: lesson.title })),
    priceAmount: snapshot.price?.amount ?? null,
    priceCurrency: snapshot.price?.currency ?? null,
    draftedAt: snapshot.draftedAt,
    publishedAt: snapshot.publishedAt,
    firstPublishedAt: snapshot.firstPublishedAt,
  };
}

/** What the unit of work needs to load and save courses. */
export const courseStorage = aggregateMapping({
  schema: courseRecordSchema,
  toAggregate: toCourse,
  toRecord: toCourseRecord,
});
