import type { FilterQuery } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import {
  toCourseView,
  type CatalogQueries,
  type InstructorCoursesQuery,
  type PageRequest,
  type PublishedCoursesQuery,
} from '@strata/catalog';
import type { CourseView } from '@strata/catalog/contract';
import type { Page } from '@strata/shared-kernel';
import { decodeCursor, encodeCursor } from '@strata/persistence';
import { courseRecordSchema, toCourse, type CourseRecord } from './course-record.ts';

// Finders page by the course id; the (status, id) and (instructor_id, id) indexes serve both queries.

/** `%`, `_` and `\` are LIKE wildcards; a search for "100%" means the characters. */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * The catalog's queries on MikroORM. Filters are bound parameters, never SQL built from strings.
 * Each reads through the running unit of work's session, so a query served inside a call sees
 * that call's transaction.
 */
export class SqlCatalogQueries implements CatalogQueries {
  readonly #session: () => SqlEntityManager;

  constructor(session: () => SqlEntityManager) {
    this.#session = session;
  }

  publishedCourses(query: PublishedCoursesQuery): Promise<Page<CourseView>> {
    const text = query.text === undefined ? undefined : containing(query.text);
    return this.#page(
      text === undefined
        ? { status: 'published' }
        : { status: 'published', $or: [{ title: { $like: text } }, { description: { $like: text } }] },
      query,
    );
  }

  coursesOfInstructor(query: InstructorCoursesQuery): Promise<Page<CourseView>> {
    return this.#page(
      query.publishedOnly
        ? { instructorId: query.instructorId, status: 'published' }
        : { instructorId: query.instructorId },
      query,
    );
  }

  async #page(where: FilterQuery<CourseRecord>, paging: PageRequest): Promise<Page<CourseView>> {
    const after = paging.cursor === undefined ? undefined : decodeCursor(paging.cursor);
    const filter = (
      after === undefined ? where : { $and: [where, { id: { $gt: after } }] }
    ) as FilterQuery<CourseRecord>;
    // One row beyond the page tells whether another page exists without a count.
    const records = await this.#session().find(courseRecordSchema, filter, {
      orderBy: { id: 'asc' },
      limit: paging.limit + 1,
    });
    const items = records.slice(0, paging.limit);
    const last = items.at(-1);
    return {
      items: items.map((record) => toCourseView(toCourse(record))),
      nextCursor: records.length > paging.limit && last !== undefined ? encodeCursor(last.id) : null,
    };
  }
}
