import { openApiDocument, type ApiRoute } from '@strata/runtime';
import {
  AddLessonBody,
  CampaignLinkPageView,
  CampaignLinkView,
  CreateCampaignLinkBody,
  LinkParams,
  MyLinksQuery,
  CheckoutPageView,
  CheckoutParams,
  CheckoutView,
  CoursePageView,
  CourseParams,
  CourseView,
  DraftCourseBody,
  EditCourseDetailsBody,
  LessonParams,
  MyCoursesQuery,
  RenameLessonBody,
  ReorderLessonsBody,
  LearningStatsPageView,
  LearningStatsQuery,
  SalesQuery,
  SalesView,
  SetPriceBody,
  UnfinishedCheckoutsQuery,
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
      : path.includes('{orderId}')
        ? CheckoutParams
        : path.includes('{linkId}')
          ? LinkParams
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
      "An instructor's own courses: draft, edit, lessons, price, publish, unpublish. Another instructor's course is 403; a broken rule is 422 with the rule code in `reason`. Every answered course carries its version as an `ETag`; send it back as `If-Match` on a change and a course that moved on since answers 412 (reason `aggregate-version-mismatch`) instead of overwriting the other change. Editing the details requires `If-Match` (428, reason `if-match-required`, without it). `/sales` answers an instructor's sales figures from a read model fed by ordering's events, `/learning` how their courses are learned, `/links` their campaign short links with hourly visit statistics; `/admin/checkouts` is the operators' view of checkouts (admin role). Errors are RFC 9457 problem+json.",
    routes: [
      route('get', '/courses', "The caller's courses, drafts included; pass `nextCursor` back as `cursor`", {
        query: MyCoursesQuery,
        responses: { 200: { description: 'a page of courses', schema: CoursePageView } },
      }),
      route('post', '/courses', 'Draft a course', {
        body: DraftCourseBody,
        responses: { 201: { description: 'the drafted course', schema: CourseView } },
      }),
      route('patch', '/courses/{courseId}', 'Edit the title and/or description (If-Match required)', {
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
      route(
        'get',
        '/sales',
        "Per-course sales (orders paid, refunded, revenue per currency in minor units) from the read model ordering's events keep. An instructor sees their own; an admin passes `instructorId`, or sees every course without it",
        {
          query: SalesQuery,
          responses: { 200: { description: "the courses' figures, by title", schema: SalesView } },
        },
      ),
      route(
        'get',
        '/learning',
        "Per course, from learning's own records: enrollments ever, learners with access now, completions and the completion rate (completions ÷ enrollments). An instructor sees their own; an admin passes `instructorId`",
        {
          query: LearningStatsQuery,
          responses: {
            200: { description: "a page of the courses' learning figures", schema: LearningStatsPageView },
          },
        },
      ),
      route(
        'post',
        '/links',
        "A campaign short link to one of the caller's courses, leading to the course's public page, with a custom slug (else a generated one), an expiry and a maximum of visits, all optional. Refusals name the body field: 400 custom-slug-cannot-be-reserved, custom-slug-length-must-be-within-bounds, short-link-expiry-cannot-be-in-the-past, max-visits-must-be-at-least-one, max-visits-must-not-exceed-the-limit; 409 custom-slug-must-not-be-taken; 404 course-not-found; 403 campaign-links-are-for-the-instructors-own-courses. A refused request creates nothing",
        {
          body: CreateCampaignLinkBody,
          responses: { 201: { description: 'the link, with its short URL', schema: CampaignLinkView } },
        },
      ),
      route(
        'get',
        '/links',
        "The caller's short links, newest first, each with its visit statistics hour by hour (UTC; people's visits, bot visits apart, estimated unique visitors, referrer hosts, browser families), a few seconds behind the redirects; `since` bounds the hours; pass `nextCursor` back as `cursor`",
        {
          query: MyLinksQuery,
          responses: {
            200: { description: 'a page of links with their statistics', schema: CampaignLinkPageView },
          },
        },
      ),
      route(
        'post',
        '/links/{linkId}/disable',
        'Disables a link: its short URL answers 410 everywhere within a second (again changes nothing); 403 for a link not the caller’s',
        { responses: { 200: { description: 'the link, disabled', schema: CampaignLinkView } } },
      ),
      route(
        'post',
        '/links/{linkId}/enable',
        'Enables a disabled link again; 422 expired-short-link-cannot-be-enabled once it expired',
        { responses: { 200: { description: 'the link, active', schema: CampaignLinkView } } },
      ),
      route(
        'get',
        '/admin/checkouts',
        'Admins: checkouts not at an outcome, unchanged for at least `stalledForSeconds`, the longest unchanged first (403 for anyone else)',
        {
          query: UnfinishedCheckoutsQuery,
          responses: { 200: { description: 'a page of checkouts', schema: CheckoutPageView } },
        },
      ),
      route(
        'get',
        '/admin/checkouts/{orderId}',
        "Admins: one order's checkout: step, deadline, attempts, last error and commands not yet sent (403 for anyone else)",
        { responses: { 200: { description: 'the checkout', schema: CheckoutView } } },
      ),
    ],
  });
}
