import { openApiDocument, type ApiRoute } from '@strata/runtime';
import {
  AddLessonBody,
  CoursePageView,
  CourseParams,
  CourseView,
  DraftCourseBody,
  EditCourseDetailsBody,
  LessonParams,
  MyCoursesQuery,
  RenameLessonBody,
  ReorderLessonsBody,
  SetPriceBody,
} from './studio-api-schemas.ts';

const course = { 200: { description: 'the course as it now is', schema: CourseView } };

function route(
  method: ApiRoute['method'],
  path: string,
  summary: string,
  extra: Partial<ApiRoute> = {},
): ApiRoute {
  // The path's parameters are validated with the same schemas as the controller's.
  const params = path.includes('{lessonId}')
    ? LessonParams
    : path.includes('{courseId}')
      ? CourseParams
      : undefined;
  return {
    method,
    path,
    summary,
    authenticated: true,
    responses: course,
    ...(params === undefined ? {} : { params }),
    ...extra,
  };
}

export function studioApiOpenApi(): Record<string, unknown> {
  return openApiDocument({
    title: 'Strata studio-api',
    version: '0.1.0',
    description:
      "An instructor's own courses: draft, edit, lessons, price, publish, unpublish. Another instructor's course is 403; a broken rule is 422 with the rule code in `reason`. Errors are RFC 9457 problem+json.",
    routes: [
      route('get', '/courses', "The caller's courses, drafts included; pass `nextCursor` back as `cursor`", {
        query: MyCoursesQuery,
        responses: { 200: { description: 'a page of courses', schema: CoursePageView } },
      }),
      route('post', '/courses', 'Draft a course', {
        body: DraftCourseBody,
        responses: { 201: { description: 'the drafted course', schema: CourseView } },
      }),
      route('patch', '/courses/{courseId}', 'Edit the title and/or description', {
        body: EditCourseDetailsBody,
      }),
      route('post', '/courses/{courseId}/lessons', 'Add a lesson at the end', {
        body: AddLessonBody,
        responses: { 201: { description: 'the course; the new lesson is the last', schema: CourseView } },
      }),
      route('put', '/courses/{courseId}/lessons/order', 'Reorder the lessons (every lesson id, each once)', {
        body: ReorderLessonsBody,
      }),
      route('patch', '/courses/{courseId}/lessons/{lessonId}', 'Rename a lesson', { body: RenameLessonBody }),
      route('delete', '/courses/{courseId}/lessons/{lessonId}', 'Remove a lesson'),
      route('put', '/courses/{courseId}/price', 'Set the price (minor units, ISO 4217 currency)', {
        body: SetPriceBody,
      }),
      route('post', '/courses/{courseId}/publication', 'Publish; refused without lessons or price (422)'),
      route('delete', '/courses/{courseId}/publication', 'Unpublish'),
    ],
  });
}
