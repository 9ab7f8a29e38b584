import { openApiDocument } from '@strata/runtime';
import { BrowseCoursesQuery, CoursePageView, CourseParams, CourseView } from './learner-api-schemas.ts';

export function learnerApiOpenApi(): Record<string, unknown> {
  return openApiDocument({
    title: 'Strata learner-api',
    version: '0.1.0',
    description:
      'The published course catalogue, no login needed: search and page through it, read a course. Errors are RFC 9457 problem+json.',
    routes: [
      {
        method: 'get',
        path: '/courses',
        summary:
          'Published courses whose title or description contains `text`, ordered by id; pass `nextCursor` back as `cursor` for the next page',
        query: BrowseCoursesQuery,
        responses: { 200: { description: 'a page of published courses', schema: CoursePageView } },
      },
      {
        method: 'get',
        path: '/courses/{courseId}',
        summary: 'A published course (404 when unknown or not published)',
        params: CourseParams,
        responses: { 200: { description: 'the course', schema: CourseView } },
      },
    ],
  });
}
