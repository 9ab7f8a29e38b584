import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Cache } from '@strata/cache';
import { catalogContract } from '@strata/catalog/contract';
import { learningContract } from '@strata/learning/contract';
import { linksContract } from '@strata/links/contract';
import { notificationContract } from '@strata/notification/contract';
import { orderingContract } from '@strata/ordering/contract';
import { createContractClient, type Invoke } from '@strata/rpc';
import {
  ACCESS_TOKEN_VERIFIER,
  RuntimeModule,
  type AccessTokenVerifier,
  type HealthCheck,
  type Logger,
} from '@strata/runtime';
import { BrowseCoursesHandler } from './browse-courses.query.ts';
import { CancelOrderHandler } from './cancel-order.command.ts';
import { CertificatesController } from './certificates.controller.ts';
import { CheckCertificateHandler } from './check-certificate.query.ts';
import { CompleteLessonHandler } from './complete-lesson.command.ts';
import { CountUnreadNotificationsHandler } from './count-unread-notifications.query.ts';
import { CourseCacheInvalidation, DEFAULT_COURSE_CACHE_CONSUMER_GROUP } from './course-cache-invalidation.ts';
import type { CourseEventFeed } from './course-event-feed.ts';
import { EnrollInFreeCourseHandler } from './enroll-in-free-course.command.ts';
import { GetCourseDetailHandler } from './get-course-detail.query.ts';
import { GetMyOrderHandler } from './get-my-order.query.ts';
import {
  CATALOG_CLIENT,
  COURSE_CACHE,
  COURSE_CACHE_CONSUMER_GROUP,
  COURSE_DETAIL_TTL_MS,
  COURSE_EVENT_FEED,
  LEARNER_LOGGER,
  LEARNING_CLIENT,
  LINKS_CLIENT,
  NOTIFICATION_CLIENT,
  NOTIFICATION_PUSH_SETTINGS,
  ORDERING_CLIENT,
  PAYMENT_WEBHOOK_SETTINGS,
  SHARE_ADDRESSES,
} from './injection-tokens.ts';
import { learnerApiOpenApi } from './learner-api-openapi.ts';
import { LearnerPageController } from './learner-page.controller.ts';
import { LearnerController } from './learner.controller.ts';
import { LearningController } from './learning.controller.ts';
import { ListMyCertificatesHandler } from './list-my-certificates.query.ts';
import { ListMyCoursesHandler } from './list-my-courses.query.ts';
import { ListMyNotificationsHandler } from './list-my-notifications.query.ts';
import { ListMyOrdersHandler } from './list-my-orders.query.ts';
import { MarkAllNotificationsReadHandler } from './mark-all-notifications-read.command.ts';
import { MarkNotificationReadHandler } from './mark-notification-read.command.ts';
import { NotificationPush, type NotificationPushSettings } from './notification-push.ts';
import { NotificationsController } from './notifications.controller.ts';
import { OpenLessonHandler } from './open-lesson.query.ts';
import { OrdersController } from './orders.controller.ts';
import { PaymentWebhookController } from './payment-webhook.controller.ts';
import { PlaceOrderHandler } from './place-order.command.ts';
import {
  ReceivePaymentWebhookHandler,
  type PaymentWebhookSettings,
} from './receive-payment-webhook.command.ts';
import { RequestRefundHandler } from './request-refund.command.ts';
import { ShareAddresses, type LateUrl } from './share-addresses.ts';
import { ShareLinkHandler } from './share-link.command.ts';
import { ShareLinksController } from './share-links.controller.ts';

export const DEFAULT_COURSE_DETAIL_TTL_MS = 5 * 60_000;

export interface LearnerApiDependencies {
  /** How commerce-service is reached: governance's ClusterInvoker distributed, `inProcessInvoke` embedded. */
  commerce: Invoke;
  /** How learning-service is reached, the same two ways. */
  learning: Invoke;
  /** How engagement-service is reached, the same two ways (short links a learner shares, notifications). */
  engagement: Invoke;
  /**
   * Where the gateway is reached from outside (a shared course leads to `<it>/api/learner/courses/<id>`,
   * a certificate to `<it>/api/learner/certificates/<id>`) and where short links are served
   * (`<it>/<slug>`); a function when known only once listening.
   */
  links: { publicApiUrl: LateUrl; shortLinkUrl: LateUrl };
  /** Verifies account-api's access tokens: `new JwtAccessTokenVerifier({ keys: remoteJwks(url), … })`. */
  accessTokens: AccessTokenVerifier;
  /** The payment provider's webhook secret (STRATA_PAYMENT_WEBHOOK_SECRET) and clock tolerance. */
  paymentWebhook: PaymentWebhookSettings;
  /** Course details: `MemoryCache` embedded, `RedisCache` distributed. */
  cache: Cache;
  /** Course events that invalidate the cache: `inProcessCourseEvents(broker)` embedded, Kafka distributed. */
  events: CourseEventFeed;
  /** Live notifications: the fan-out across instances and the notification events feeding it. */
  push: NotificationPushSettings;
  logger: Logger;
  /** The event consumer group; deployments (or test runs) sharing one Kafka each need their own. */
  consumerGroup?: string;
  /** How long a detail may be served from the cache if its invalidating event were lost. */
  courseDetailTtlMs?: number;
  healthChecks?: HealthCheck[];
}

@Module({})
export class LearnerApiModule {
  static forRoot(dependencies: LearnerApiDependencies): DynamicModule {
    return {
      module: LearnerApiModule,
      imports: [
        CqrsModule.forRoot(),
        RuntimeModule.forRoot({
          openApi: learnerApiOpenApi(),
          healthChecks: dependencies.healthChecks ?? [],
        }),
      ],
      controllers: [
        LearnerController,
        OrdersController,
        PaymentWebhookController,
        LearningController,
        CertificatesController,
        ShareLinksController,
        NotificationsController,
        LearnerPageController,
      ],
      providers: [
        {
          provide: CATALOG_CLIENT,
          useValue: createContractClient(catalogContract, {
            service: 'commerce-service',
            invoke: dependencies.commerce,
          }),
        },
        {
          provide: ORDERING_CLIENT,
          useValue: createContractClient(orderingContract, {
            service: 'commerce-service',
            invoke: dependencies.commerce,
          }),
        },
        {
          provide: LEARNING_CLIENT,
          useValue: createContractClient(learningContract, {
            service: 'learning-service',
            invoke: dependencies.learning,
          }),
        },
        {
          provide: LINKS_CLIENT,
          useValue: createContractClient(linksContract, {
            service: 'engagement-service',
            invoke: dependencies.engagement,
          }),
        },
        {
          provide: NOTIFICATION_CLIENT,
          useValue: createContractClient(notificationContract, {
            service: 'engagement-service',
            invoke: dependencies.engagement,
          }),
        },
        { provide: NOTIFICATION_PUSH_SETTINGS, useValue: dependencies.push },
        { provide: SHARE_ADDRESSES, useValue: new ShareAddresses(dependencies.links) },
        { provide: ACCESS_TOKEN_VERIFIER, useValue: dependencies.accessTokens },
        { provide: PAYMENT_WEBHOOK_SETTINGS, useValue: dependencies.paymentWebhook },
        { provide: COURSE_CACHE, useValue: dependencies.cache },
        { provide: COURSE_EVENT_FEED, useValue: dependencies.events },
        { provide: LEARNER_LOGGER, useValue: dependencies.logger },
        {
          provide: COURSE_CACHE_CONSUMER_GROUP,
          useValue: dependencies.consumerGroup ?? DEFAULT_COURSE_CACHE_CONSUMER_GROUP,
        },
        {
          provide: COURSE_DETAIL_TTL_MS,
          useValue: dependencies.courseDetailTtlMs ?? DEFAULT_COURSE_DETAIL_TTL_MS,
        },
        CourseCacheInvalidation,
        BrowseCoursesHandler,
        GetCourseDetailHandler,
        PlaceOrderHandler,
        ListMyOrdersHandler,
        GetMyOrderHandler,
        CancelOrderHandler,
        RequestRefundHandler,
        ReceivePaymentWebhookHandler,
        ListMyCoursesHandler,
        EnrollInFreeCourseHandler,
        CompleteLessonHandler,
        ListMyCertificatesHandler,
        CheckCertificateHandler,
        OpenLessonHandler,
        ShareLinkHandler,
        NotificationPush,
        ListMyNotificationsHandler,
        CountUnreadNotificationsHandler,
        MarkNotificationReadHandler,
        MarkAllNotificationsReadHandler,
      ],
    };
  }
}
