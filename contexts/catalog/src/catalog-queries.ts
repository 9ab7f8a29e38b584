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
  /** Drafts and archived courses too, not only the published ones (see `maySeeUnpublishedCoursesOf`). */
  readonly includeUnpublished: boolean;
}

/**
 * The catalog's read side: the questions the catalog answers across courses. The context says
 * what it asks; a data service answers from its store (MikroORM in commerce-service).
 */
export interface CatalogQueries {
  /** Courses in the catalog, optionally those whose title or description contains `text`. */
  publishedCourses(query: PublishedCoursesQuery): Promise<Page<CourseView>>;
  /** One instructor's courses. */
  coursesOfInstructor(query: InstructorCoursesQuery): Promise<Page<CourseView>>;
}

/** Unpublished courses are their instructor's business, and an admin's; anyone else sees the published ones. */
export function maySeeUnpublishedCoursesOf(
  caller: Partial<Actor> | undefined,
  instructorId: string,
): boolean {
  return caller?.userId === instructorId || (caller?.roles ?? []).includes('admin');
}
