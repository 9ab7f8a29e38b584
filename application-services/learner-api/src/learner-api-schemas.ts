import { catalogContract, CourseView } from '@strata/catalog/contract';
import {
  CertificateVerification,
  CertificateView,
  EnrollmentView,
  LearnerCourse,
  learningContract,
} from '@strata/learning/contract';
import { CheckoutView, orderingContract, OrderView, PlacementView } from '@strata/ordering/contract';
import { ShortLinkView } from '@strata/links/contract';
import { notificationContract, NotificationView } from '@strata/notification/contract';
import { LastEventIdSchema } from '@strata/push';
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

const Order = orderingContract.aggregates.Order;

// Taken from the ordering contract, so the API accepts exactly what commerce-service will, and a
// refusal names the field as the learner sent it (`body.courses.0.expectedPrice.amount`).
export const CheckoutBody = Order.creations.place.input;
export type CheckoutBody = z.output<typeof CheckoutBody>;

export const OrderParams = z.object({ orderId: z.uuid() });
export type OrderParams = z.output<typeof OrderParams>;

/** Query strings are text: the limit is coerced, then held to the finder's own bounds. */
export const MyOrdersQuery = z.object({
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(20),
});
export type MyOrdersQuery = z.output<typeof MyOrdersQuery>;

export { OrderView, PlacementView };
export const OrderPageView = pageOf(OrderView);
export type OrderPage = z.output<typeof OrderPageView>;

/**
 * Where the order's checkout stands, as its learner sees it: the step, the page to pay on, when
 * the current step times out and why it last failed. The operator's fields (pending commands,
 * attempts) stay in the operator's view.
 */
export const CheckoutProgressView = CheckoutView.pick({
  step: true,
  paymentPageUrl: true,
  deadline: true,
  lastError: true,
  updatedAt: true,
});
export type CheckoutProgressView = z.output<typeof CheckoutProgressView>;

/** One of the learner's orders with its checkout; `checkout` is null until the checkout has started. */
export const MyOrderView = z.object({ order: OrderView, checkout: CheckoutProgressView.nullable() });
export type MyOrderView = z.output<typeof MyOrderView>;

/** What the webhook receiver answers a delivery it took (a repeat of an event it took already included). */
export const WebhookReceiptView = z.object({
  received: z.literal(true),
  eventId: z.string(),
  orderId: z.uuid(),
});
export type WebhookReceiptView = z.output<typeof WebhookReceiptView>;

export { paymentWebhookEventSchema as PaymentWebhookBody } from '@strata/payments';

const Enrollment = learningContract.aggregates.Enrollment;

/** Taken from the learning contract: the API accepts what learning-service will. */
export const EnrollBody = Enrollment.creations.enrollInFreeCourse.input;
export type EnrollBody = z.output<typeof EnrollBody>;

export const EnrollmentParams = z.object({ enrollmentId: z.uuid() });
export type EnrollmentParams = z.output<typeof EnrollmentParams>;

export const LessonParams = z.object({ enrollmentId: z.uuid(), lessonId: z.uuid() });
export type LessonParams = z.output<typeof LessonParams>;

export const CertificateParams = z.object({ certificateId: z.uuid() });
export type CertificateParams = z.output<typeof CertificateParams>;

/** "My courses" and "my certificates" page as my orders do. */
export const MyLearningQuery = MyOrdersQuery;
export type MyLearningQuery = MyOrdersQuery;

export { CertificateVerification, CertificateView, EnrollmentView, LearnerCourse };
export const MyCoursePageView = pageOf(LearnerCourse);
export type MyCoursePage = z.output<typeof MyCoursePageView>;
export const CertificatePageView = pageOf(CertificateView);
export type CertificatePage = z.output<typeof CertificatePageView>;

export const CourseLessonParams = z.object({ courseId: z.uuid(), lessonId: z.uuid() });
export type CourseLessonParams = z.output<typeof CourseLessonParams>;

/**
 * A lesson as an enrolled learner opens it: the catalog's lesson (its title; lesson bodies are not
 * modelled yet), where it stands in the course, and whether the learner has done it.
 */
export const LessonView = z.object({
  courseId: z.uuid(),
  courseTitle: z.string(),
  enrollmentId: z.uuid(),
  lesson: z.object({
    id: z.uuid(),
    title: z.string(),
    position: z.number().int().min(1),
    of: z.number().int().min(1),
  }),
  done: z.boolean(),
});
export type LessonView = z.output<typeof LessonView>;

/** A short link the learner shares, with the address to hand out. */
export const SharedLinkView = ShortLinkView.extend({ shortUrl: z.url() });
export type SharedLinkView = z.output<typeof SharedLinkView>;

// Notifications: the feed's views as the notification contract publishes them, and what a client
// passes back to the live stream to go on from its list.
export { NotificationView };

export const MyNotificationsQuery = z.object({
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(20),
});
export type MyNotificationsQuery = z.output<typeof MyNotificationsQuery>;

/** Where a feed stands: `streamMark` is what the live stream takes as `Last-Event-ID` (or `since` on a WebSocket). */
const FeedMark = {
  /** Null while the learner has never been notified. */
  epoch: z.string().nullable(),
  latestPosition: z.number().int().min(0),
  streamMark: z.string(),
};

export const NotificationPageView = z.object({
  items: z.array(NotificationView),
  nextCursor: z.string().nullable(),
  unread: z.number().int().min(0),
  ...FeedMark,
});
export type NotificationPage = z.output<typeof NotificationPageView>;

export const UnreadCountView = z.object({ unread: z.number().int().min(0), ...FeedMark });
export type UnreadCountView = z.output<typeof UnreadCountView>;

export const NotificationParams = z.object({ notificationId: z.uuid() });
export type NotificationParams = z.output<typeof NotificationParams>;

const markAllRead = notificationContract.aggregates.NotificationFeed.commands.markAllRead.input;
/** Everything up to `upTo` (the position of the newest notification the learner saw) becomes read; absent: everything. */
export const MarkAllReadBody = markAllRead;
export type MarkAllReadBody = z.output<typeof MarkAllReadBody>;

export const MarkedAllReadView = z.object({ readUpTo: z.number().int().min(0), ...FeedMark });
export type MarkedAllReadView = z.output<typeof MarkedAllReadView>;

/** The header a live stream resumes from (an SSE client's browser sends it by itself on reconnecting). */
export const StreamHeaders = z.object({ 'last-event-id': LastEventIdSchema.optional() });
export type StreamHeaders = z.output<typeof StreamHeaders>;
