import { WEBHOOK_SIGNATURE_HEADER } from '@strata/payments';
import { openApiDocument } from '@strata/runtime';
import {
  BrowseCoursesQuery,
  CertificatePageView,
  CertificateParams,
  CertificateVerification,
  CheckoutBody,
  CoursePageView,
  CourseParams,
  CourseLessonParams,
  CourseView,
  EnrollBody,
  EnrollmentView,
  LessonParams,
  LessonView,
  MarkAllReadBody,
  MarkedAllReadView,
  MyCoursePageView,
  MyLearningQuery,
  MyNotificationsQuery,
  MyOrdersQuery,
  MyOrderView,
  NotificationPageView,
  NotificationParams,
  NotificationView,
  OrderPageView,
  OrderParams,
  OrderView,
  PaymentWebhookBody,
  PlacementView,
  SharedLinkView,
  UnreadCountView,
  WebhookReceiptView,
} from './learner-api-schemas.ts';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description:
    'the ETag of the order as last read; a change to an order that moved on since is refused with 412',
};

export function learnerApiOpenApi(): Record<string, unknown> {
  return openApiDocument({
    title: 'Strata learner-api',
    version: '0.1.0',
    description:
      'The published course catalogue, no login needed: search and page through it, read a course. Buying, for a logged-in learner: check out courses, see and cancel orders, ask for a refund. Sharing a course or a certificate as a short link. Notifications: the list, the unread count, marking read, and live as server-sent events or on a WebSocket, resuming from the last one received. The payment provider’s signed webhook. Errors are RFC 9457 problem+json; a refusal by a rule carries its stable code in `reason`, and the body field it is about in `errors`.',
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
      {
        method: 'post',
        path: '/checkout',
        summary:
          'Orders the courses at the prices the learner was shown (`expectedPrice`, minor units). Refusals: 404 ordered-course-must-be-on-offer, 409 expected-price-must-match-the-offer (the price changed), 422 order-lines-must-share-one-currency, free-course-needs-no-order, unpublished-course-cannot-be-ordered, 409 owned-course-cannot-be-ordered-again, course-awaiting-payment-cannot-be-ordered-again (another order awaits payment for one of these courses, or a second checkout raced this one), 400 for a malformed body or Idempotency-Key',
        authenticated: true,
        headers: [
          {
            name: 'Idempotency-Key',
            required: true,
            description:
              'a fresh unique value (a UUID) per intended checkout, sent unchanged on every retry of it; a retry is answered the first attempt’s result',
          },
        ],
        body: CheckoutBody,
        responses: {
          201: {
            description:
              'the new order, awaiting payment; pay on the checkout’s payment page (GET the order)',
            schema: PlacementView,
            headers: ['location', 'etag'],
          },
          200: {
            description:
              'the order already awaiting payment for exactly these courses (`outcome: already-pending`)',
            schema: PlacementView,
            headers: ['location', 'etag'],
          },
        },
      },
      {
        method: 'get',
        path: '/orders',
        summary: 'The caller’s orders, every status; pass `nextCursor` back as `cursor` for the next page',
        authenticated: true,
        query: MyOrdersQuery,
        responses: { 200: { description: 'a page of the caller’s orders', schema: OrderPageView } },
      },
      {
        method: 'get',
        path: '/orders/{orderId}',
        summary:
          'One of the caller’s orders with its checkout: the step, the payment page, the deadline and the last error (`checkout` null until it has started); 404 order-not-found for an order that is not the caller’s',
        authenticated: true,
        params: OrderParams,
        responses: {
          200: { description: 'the order and its checkout', schema: MyOrderView, headers: ['etag'] },
        },
      },
      {
        method: 'post',
        path: '/orders/{orderId}/cancel',
        summary:
          'Cancels an order awaiting payment (a closed one stays as it is); 422 paid-order-cannot-be-cancelled once paid',
        authenticated: true,
        params: OrderParams,
        headers: [IF_MATCH],
        responses: { 200: { description: 'the order, cancelled', schema: OrderView, headers: ['etag'] } },
      },
      {
        method: 'post',
        path: '/orders/{orderId}/refund',
        summary:
          'Asks for a paid order’s refund; 422 order-cannot-be-refunded-after-its-window, order-cannot-be-refunded-once-a-certificate-is-issued, only-a-paid-order-can-be-refunded',
        authenticated: true,
        params: OrderParams,
        headers: [IF_MATCH],
        responses: {
          200: { description: 'the order, its refund requested', schema: OrderView, headers: ['etag'] },
        },
      },
      {
        method: 'get',
        path: '/my-courses',
        summary:
          'The caller’s courses (active and revoked enrollments, newest grant first) with their progress against the course’s outline as it is today: `lessonsDone` of `lessonCount`, `completedAt` once completed',
        authenticated: true,
        query: MyLearningQuery,
        responses: { 200: { description: 'a page of the caller’s courses', schema: MyCoursePageView } },
      },
      {
        method: 'get',
        path: '/my-courses/{courseId}/lessons/{lessonId}',
        summary:
          'Opens a lesson of a course the caller has now: its title, its place in the course, whether it is done. 403 lessons-are-open-only-while-enrolled with `reason` not-enrolled or refunded (progress is kept); 404 lesson-not-found',
        authenticated: true,
        params: CourseLessonParams,
        responses: { 200: { description: 'the lesson', schema: LessonView } },
      },
      {
        method: 'post',
        path: '/enrollments',
        summary:
          'Enrolls the caller in a free course; enrolling again answers the enrollment they have (a revoked one is given back). Refusals: 404 course-must-be-in-the-catalog, 422 only-a-free-course-can-be-enrolled-in-directly (buy it through /checkout), unpublished-course-cannot-be-enrolled-in',
        authenticated: true,
        body: EnrollBody,
        responses: { 200: { description: 'the enrollment', schema: EnrollmentView } },
      },
      {
        method: 'post',
        path: '/enrollments/{enrollmentId}/lessons/{lessonId}/complete',
        summary:
          'Marks a lesson of the caller’s enrollment done (again changes nothing); the last lesson left completes the course, and its certificate follows. Refusals: 403 only-its-learner-may-follow-an-enrollment, lessons-are-open-only-while-enrolled (the course was refunded), 404 completed-lesson-must-be-in-the-outline',
        authenticated: true,
        params: LessonParams,
        responses: {
          200: { description: 'the enrollment with its completed lessons', schema: EnrollmentView },
        },
      },
      {
        method: 'get',
        path: '/my-certificates',
        summary: 'The caller’s certificates, newest first',
        authenticated: true,
        query: MyLearningQuery,
        responses: {
          200: { description: 'a page of the caller’s certificates', schema: CertificatePageView },
        },
      },
      {
        method: 'get',
        path: '/certificates/{certificateId}',
        summary:
          'Checks a certificate by its id, no login needed: who completed which course, and when, with the short code printed on it; 404 when no certificate has this id',
        params: CertificateParams,
        responses: { 200: { description: 'the certificate as issued', schema: CertificateVerification } },
      },
      {
        method: 'post',
        path: '/share-links/courses/{courseId}',
        summary:
          'A short link to a published course’s public page, for the caller to share: 201 when made, 200 with the link they already have to it (one per learner and course, however often asked); 404 shared-course-must-be-published',
        authenticated: true,
        params: CourseParams,
        responses: {
          201: { description: 'the link, made now', schema: SharedLinkView },
          200: { description: 'the caller’s link to this course', schema: SharedLinkView },
        },
      },
      {
        method: 'post',
        path: '/share-links/certificates/{certificateId}',
        summary:
          'A short link to the public check of one of the caller’s certificates: 201 when made, 200 with the one they have; 403 only-its-learner-may-share-a-certificate, 404 when no certificate has this id',
        authenticated: true,
        params: CertificateParams,
        responses: {
          201: { description: 'the link, made now', schema: SharedLinkView },
          200: { description: 'the caller’s link to this certificate', schema: SharedLinkView },
        },
      },
      {
        method: 'get',
        path: '/notifications',
        summary:
          'The caller’s notifications, newest first, with the unread count and where the feed stands (`epoch`, `latestPosition`, and `streamMark` to pass to the live stream as Last-Event-ID, or as `since` on the socket, so nothing made in between is missed); pass `nextCursor` back as `cursor` for the next page',
        authenticated: true,
        query: MyNotificationsQuery,
        responses: {
          200: { description: 'a page of the caller’s notifications', schema: NotificationPageView },
        },
      },
      {
        method: 'get',
        path: '/notifications/unread-count',
        summary: 'How many of the caller’s notifications are unread, and where the feed stands',
        authenticated: true,
        responses: { 200: { description: 'the unread count', schema: UnreadCountView } },
      },
      {
        method: 'post',
        path: '/notifications/{notificationId}/read',
        summary:
          'Marks one of the caller’s notifications read (again changes nothing); 403 for a notification that is not the caller’s, 404 when unknown',
        authenticated: true,
        params: NotificationParams,
        responses: { 200: { description: 'the notification, read', schema: NotificationView } },
      },
      {
        method: 'post',
        path: '/notifications/read-all',
        summary:
          'Marks the caller’s notifications read up to `upTo` (a position: the newest one they saw), every one when absent',
        authenticated: true,
        body: MarkAllReadBody,
        responses: { 200: { description: 'how far the feed is read', schema: MarkedAllReadView } },
      },
      {
        method: 'get',
        path: '/notifications/stream',
        summary:
          'The caller’s new notifications live, as server-sent events (docs/adr/0023): `notification` (data: the notification; id: `<epoch>:<position>`), `ready` (data: `{epoch, position, recovered}`, once caught up; `recovered: false` means what the client held cannot be continued: reload the list), `goodbye` (data: `{reason, reconnect, detail}`: server-shutdown, slow-consumer, unavailable) and a comment line as heartbeat. With Last-Event-ID, every notification after it is sent first, in order, from storage. Authenticate with the Authorization header (a fetch-based client; never a token in the URL). The same messages come as JSON `{type, data}` on the WebSocket at `/notifications/socket`: token in the Authorization header or, from a browser, the subprotocol `bearer.<jwt>` beside `strata.notifications.v1`; first message `{"type":"subscribe","since"?:{"epoch","position"}}`. A socket that leaves a heartbeat ping unanswered (it stopped reading) is told `goodbye` unresponsive and closed 4009. 400 invalid-last-event-id, 429 too-many-connections (per user and instance)',
        authenticated: true,
        headers: [
          {
            name: 'Last-Event-ID',
            required: false,
            description:
              'the `id` of the last event received (`<epoch>:<position>`), or a list’s `streamMark`; absent: from now on',
          },
        ],
        responses: {
          200: { description: 'an event stream (text/event-stream) until either side closes it' },
        },
      },
      {
        method: 'post',
        path: '/payments/webhook',
        summary:
          'The payment provider’s event, signed over the raw body (ADR 0014). 200 when taken, a repeat included; 400 webhook-signature-missing, -malformed, -mismatch, webhook-timestamp-stale, -in-future, webhook-body-malformed; 404 payment-order-unknown. Nothing changes on a refusal',
        headers: [
          {
            name: WEBHOOK_SIGNATURE_HEADER,
            required: true,
            description:
              '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" under the shared secret>`',
          },
        ],
        body: PaymentWebhookBody,
        responses: { 200: { description: 'the event was taken', schema: WebhookReceiptView } },
      },
    ],
  });
}
