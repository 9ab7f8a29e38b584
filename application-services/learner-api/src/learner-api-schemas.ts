import { catalogContract, CourseView } from '@strata/catalog/contract';
import { MAX_PAGE_LIMIT, pageOf, z } from '@strata/shared-kernel';

const findPublished = catalogContract.aggregates.Course.queries.findPublished.input.shape;

/** Query strings are text: the limit is coerced, then held to the finder's own bounds. */
export const BrowseCoursesQuery = z.object({
  text: findPublished.text,
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(20),
});
export type BrowseCoursesQuery = z.output<typeof BrowseCoursesQuery>;

export const CourseParams = z.object({ courseId: z.uuid() });
export type CourseParams = z.output<typeof CourseParams>;

export { CourseView };
export const CoursePageView = pageOf(CourseView);
export type CoursePage = z.output<typeof CoursePageView>;
