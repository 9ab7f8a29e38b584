import type { FilterQuery } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { toCourseView, Course } from '@strata/catalog';
import type { CourseView } from '@strata/catalog/contract';
import { DomainError, type Page } from '@strata/shared-kernel';

/*
 * Finders page by the course id: unique, so the order is total and a page boundary never skips
 * or repeats a course however many share a title. The cursor is the last id served, opaque to
 * callers (base64url) so its form can change without breaking them.
 */

function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string' && /^[0-9a-f-]{36}$/.test(decoded.after)) return decoded.after;
  } catch {
    // Falls through to the refusal below: a cursor is either one we issued or invalid.
  }
  throw DomainError.invalid(
    'cursor-is-not-valid',
    'this cursor was not issued by this finder; pass back nextCursor from the previous page unchanged',
    { field: 'cursor' },
  );
}

/** `%`, `_` and `\` are LIKE wildcards; a search for "100%" means the characters. */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export async function pageOfCourses(
  session: SqlEntityManager,
  where: FilterQuery<Course>,
  paging: { cursor?: string; limit: number },
): Promise<Page<CourseView>> {
  const after = paging.cursor === undefined ? undefined : decodeCursor(paging.cursor);
  const filter = (
    after === undefined ? where : { $and: [where, { id: { $gt: after } }] }
  ) as FilterQuery<Course>;
  // One row beyond the page tells whether another page exists without a count.
  const courses = await session.find(Course, filter, { orderBy: { id: 'asc' }, limit: paging.limit + 1 });
  const items = courses.slice(0, paging.limit);
  const last = items.at(-1);
  return {
    items: items.map(toCourseView),
    nextCursor: courses.length > paging.limit && last !== undefined ? encodeCursor(last.id) : null,
  };
}
