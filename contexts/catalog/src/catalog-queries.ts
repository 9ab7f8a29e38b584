import type { Actor, Page } from '@strata/shared-kernel';
import type { CourseView } from './contract.ts';

/** Pages run in a stable order and resume from an opaque cursor the previous page gave. */
export interface PageRequest {
  readonly cursor?: string;
  readonly limit: number;
}

export interface PublishedCoursesQuery extends PageRequest {
  /** Matched as typed (no wildcards) against the title and the description. */
  readonly text?: string;
}

export interface InstructorCoursesQuery extends PageRequest {
  readonly instructorId: string;
  /** Only the published ones, or drafts and archived courses too (see `maySeeEveryCourseOf`). */
  readonly publishedOnly: boolean;
}

/**
 * The catalog's read side: the questions the catalog answers across courses. The context says
 * what it asks; a data service answers from its store (MikroORM in commerce-service).
 */
export interface CatalogQueries {
  /**
   * Courses in the catalog, optionally those whose title or description contains `text`. A search
   * page may hold fewer courses than its limit, even none, and still have a next cursor: the
   * store may bound how much of the catalog one page looks through (ADR 0035).
   */
  publishedCourses(query: PublishedCoursesQuery): Promise<Page<CourseView>>;
  /** One instructor's courses. */
  coursesOfInstructor(query: InstructorCoursesQuery): Promise<Page<CourseView>>;
}

/** Drafts and archived courses are their instructor's business, and an admin's; anyone else sees the published ones. */
export function maySeeEveryCourseOf(caller: Partial<Actor> | undefined, instructorId: string): boolean {
  return caller?.userId === instructorId || (caller?.roles ?? []).includes('admin');
}
