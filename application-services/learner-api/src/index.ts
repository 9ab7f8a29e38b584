export { createLearnerApi, type LearnerApiOptions } from './create-learner-api.ts';
export {
  DEFAULT_COURSE_DETAIL_TTL_MS,
  LearnerApiModule,
  type LearnerApiDependencies,
} from './learner-api.module.ts';
export { catalogEventsTopic, inProcessCourseEvents, type CourseEventFeed } from './course-event-feed.ts';
export { kafkaCourseEvents } from './kafka-course-events.ts';
export { DEFAULT_COURSE_CACHE_CONSUMER_GROUP } from './course-cache-invalidation.ts';
export { courseCacheKey } from './course-cache-key.ts';
export { pushHeartbeatEnvShape } from './learner-api-config.ts';
export { learnerApiOpenApi } from './learner-api-openapi.ts';
export { PAYMENT_WEBHOOK_ROUTE } from './payment-webhook.controller.ts';
export type { PaymentWebhookSettings } from './receive-payment-webhook.command.ts';
export type { LateUrl } from './share-addresses.ts';
export { inProcessNotificationEvents, kafkaNotificationEvents } from './notification-event-feed.ts';
export {
  DEFAULT_PUSH_CONSUMER_GROUP,
  NOTIFICATION_SOCKET_PATH,
  NOTIFICATION_SOCKET_PROTOCOL,
  NotificationPush,
  type NotificationPushSettings,
} from './notification-push.ts';
