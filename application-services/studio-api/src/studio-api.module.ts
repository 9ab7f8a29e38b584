import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { catalogContract } from '@strata/catalog/contract';
import { learningContract } from '@strata/learning/contract';
import { linksContract } from '@strata/links/contract';
import { orderingContract } from '@strata/ordering/contract';
import { createContractClient, type Invoke } from '@strata/rpc';
import {
  ACCESS_TOKEN_VERIFIER,
  RuntimeModule,
  type AccessTokenVerifier,
  type HealthCheck,
  type Logger,
} from '@strata/runtime';
import { AddLessonHandler } from './add-lesson.command.ts';
import { DraftCourseHandler } from './draft-course.command.ts';
import { EditCourseDetailsHandler } from './edit-course-details.command.ts';
import { CheckoutAdminController } from './checkout-admin.controller.ts';
import { FindUnfinishedCheckoutsHandler } from './find-unfinished-checkouts.query.ts';
import { GetCheckoutHandler } from './get-checkout.query.ts';
import { GetLearningStatsHandler } from './get-learning-stats.query.ts';
import { CreateCampaignLinkHandler } from './create-campaign-link.command.ts';
import { GetSalesHandler } from './get-sales.query.ts';
import {
  CATALOG_CLIENT,
  LEARNING_CLIENT,
  LINK_ADDRESSES,
  LINKS_CLIENT,
  ORDERING_CLIENT,
  ORDERING_EVENT_FEED,
  SALES_CONSUMER_GROUP,
  SALES_READ_MODEL,
  STUDIO_LOGGER,
} from './injection-tokens.ts';
import { LearningStatsController } from './learning-stats.controller.ts';
import { LinkAddresses, type LateUrl } from './link-addresses.ts';
import { LinksController } from './links.controller.ts';
import { ListMyLinksHandler } from './list-my-links.query.ts';
import { ListMyCoursesHandler } from './list-my-courses.query.ts';
import { PublishCourseHandler } from './publish-course.command.ts';
import { RemoveLessonHandler } from './remove-lesson.command.ts';
import { RenameLessonHandler } from './rename-lesson.command.ts';
import { ReorderLessonsHandler } from './reorder-lessons.command.ts';
import type { OrderingEventFeed } from './ordering-event-feed.ts';
import { SalesConsumer } from './sales-consumer.ts';
import { SalesController } from './sales.controller.ts';
import { DEFAULT_SALES_CONSUMER_GROUP } from './sales-projection.ts';
import type { SalesReadModel } from './sales-read-model.ts';
import { SetPriceHandler } from './set-price.command.ts';
import { studioApiOpenApi } from './studio-api-openapi.ts';
import { StudioController } from './studio.controller.ts';
import { SwitchLinkHandler } from './switch-link.command.ts';
import { UnpublishCourseHandler } from './unpublish-course.command.ts';

export interface StudioApiDependencies {
  /** How commerce-service is reached: governance's ClusterInvoker distributed, `inProcessInvoke` embedded. */
  commerce: Invoke;
  /** How learning-service is reached, the same two ways (the instructors' learning figures). */
  learning: Invoke;
  /** How engagement-service is reached, the same two ways (campaign short links and their visits). */
  engagement: Invoke;
  /**
   * Where the gateway is reached from outside (campaign links lead to `<it>/api/learner/courses/<id>`)
   * and where short links are served (`<it>/<slug>`); a function when known only once listening.
   */
  links: { publicApiUrl: LateUrl; shortLinkUrl: LateUrl };
  /** Verifies account-api's access tokens: `new JwtAccessTokenVerifier({ keys: remoteJwks(url), … })`. */
  accessTokens: AccessTokenVerifier;
  /** The instructors' sales: `MemorySalesReadModel` embedded, `RedisSalesReadModel` distributed. */
  sales: SalesReadModel;
  /** Ordering's events that feed it: `inProcessOrderingEvents(broker)` embedded, `kafkaOrderingEvents(...)` distributed. */
  orderingEvents: OrderingEventFeed;
  logger: Logger;
  /** The sales consumer group; deployments (or test runs) sharing one Kafka each need their own. */
  salesConsumerGroup?: string;
  healthChecks?: HealthCheck[];
}

@Module({})
export class StudioApiModule {
  static forRoot(dependencies: StudioApiDependencies): DynamicModule {
    return {
      module: StudioApiModule,
      imports: [
        CqrsModule.forRoot(),
        RuntimeModule.forRoot({ openApi: studioApiOpenApi(), healthChecks: dependencies.healthChecks ?? [] }),
      ],
      controllers: [
        StudioController,
        SalesController,
        LearningStatsController,
        LinksController,
        CheckoutAdminController,
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
        { provide: LINK_ADDRESSES, useValue: new LinkAddresses(dependencies.links) },
        {
          provide: ORDERING_CLIENT,
          useValue: createContractClient(orderingContract, {
            service: 'commerce-service',
            invoke: dependencies.commerce,
          }),
        },
        { provide: ACCESS_TOKEN_VERIFIER, useValue: dependencies.accessTokens },
        { provide: SALES_READ_MODEL, useValue: dependencies.sales },
        { provide: ORDERING_EVENT_FEED, useValue: dependencies.orderingEvents },
        { provide: STUDIO_LOGGER, useValue: dependencies.logger },
        {
          provide: SALES_CONSUMER_GROUP,
          useValue: dependencies.salesConsumerGroup ?? DEFAULT_SALES_CONSUMER_GROUP,
        },
        SalesConsumer,
        GetSalesHandler,
        GetLearningStatsHandler,
        FindUnfinishedCheckoutsHandler,
        GetCheckoutHandler,
        DraftCourseHandler,
        EditCourseDetailsHandler,
        AddLessonHandler,
        RenameLessonHandler,
        RemoveLessonHandler,
        ReorderLessonsHandler,
        SetPriceHandler,
        PublishCourseHandler,
        UnpublishCourseHandler,
        ListMyCoursesHandler,
        CreateCampaignLinkHandler,
        ListMyLinksHandler,
        SwitchLinkHandler,
      ],
    };
  }
}
