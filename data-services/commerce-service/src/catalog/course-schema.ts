import { Course } from '@strata/catalog';
import { aggregateSchema } from '@strata/persistence';

/**
 * Course as the ORM stores it, in `courses`. Lessons live only inside their course and are
 * always read and written with it, so they are one JSON column rather than child rows; the
 * price is the domain's own two columns.
 */
export const courseSchema = aggregateSchema<Course>({
  // The constructor is private (courses come only from draft); the ORM never calls it anyway.
  class: Course as unknown as new () => Course,
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
