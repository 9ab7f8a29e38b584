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

/**
 * How many published courses one page of a text search may look through (ADR 0035). `LIKE
 * '%text%'` can use no index, so without a bound a text few courses contain reads the whole
 * catalog for one page (seconds at a million courses, from a public route). With it a page costs
 * at most this many rows at any catalog size; a page may then hold fewer matches than its limit,
 * even none, and still carry a cursor to the next stretch.
 */
export const SEARCH_WINDOW = 5_000;

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
  readonly #searchWindow: number;

  constructor(session: () => SqlEntityManager, options: { searchWindow?: number } = {}) {
    this.#session = session;
    this.#searchWindow = options.searchWindow ?? SEARCH_WINDOW;
  }

  async publishedCourses(query: PublishedCoursesQuery): Promise<Page<CourseView>> {
    if (query.text === undefined) return this.#page({ status: 'published' }, query);
    const text = containing(query.text);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    // The last course of this page's window: read from the (status, id) index alone, no row touched.
    const edge = (
      await this.#session()
        .createQueryBuilder(courseRecordSchema)
        .select('id')
        .where(after === undefined ? { status: 'published' } : { status: 'published', id: { $gt: after } })
        .orderBy({ id: 'asc' })
        .offset(this.#searchWindow - 1)
        .limit(1)
        .execute<{ id: string } | null>('get')
    )?.id;
    const page = await this.#page(
      {
        status: 'published',
        $or: [{ title: { $like: text } }, { description: { $like: text } }],
        ...(edge === undefined ? {} : { id: { $lte: edge } }),
      },
      query,
    );
    // The window ended before the page filled: the next page looks through the next window.
    return page.nextCursor === null && edge !== undefined
      ? { ...page, nextCursor: encodeCursor(edge) }
      : page;
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
