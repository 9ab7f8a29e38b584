import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { catalogContract } from '@strata/catalog/contract';
import { createContractClient, type Invoke } from '@strata/rpc';
import {
  ACCESS_TOKEN_VERIFIER,
  RuntimeModule,
  type AccessTokenVerifier,
  type HealthCheck,
} from '@strata/runtime';
import { AddLessonHandler } from './add-lesson.command.ts';
import { DraftCourseHandler } from './draft-course.command.ts';
import { EditCourseDetailsHandler } from './edit-course-details.command.ts';
import { CATALOG_CLIENT } from './injection-tokens.ts';
import { ListMyCoursesHandler } from './list-my-courses.query.ts';
import { PublishCourseHandler } from './publish-course.command.ts';
import { RemoveLessonHandler } from './remove-lesson.command.ts';
import { RenameLessonHandler } from './rename-lesson.command.ts';
import { ReorderLessonsHandler } from './reorder-lessons.command.ts';
import { SetPriceHandler } from './set-price.command.ts';
import { studioApiOpenApi } from './studio-api-openapi.ts';
import { StudioController } from './studio.controller.ts';
import { UnpublishCourseHandler } from './unpublish-course.command.ts';

export interface StudioApiDependencies {
  /** How commerce-service is reached: governance's ClusterInvoker distributed, `inProcessInvoke` embedded. */
  commerce: Invoke;
  /** Verifies account-api's access tokens: `new JwtAccessTokenVerifier({ keys: remoteJwks(url), … })`. */
  accessTokens: AccessTokenVerifier;
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
      controllers: [StudioController],
      providers: [
        {
          provide: CATALOG_CLIENT,
          useValue: createContractClient(catalogContract, {
            service: 'commerce-service',
            invoke: dependencies.commerce,
          }),
        },
        { provide: ACCESS_TOKEN_VERIFIER, useValue: dependencies.accessTokens },
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
      ],
    };
  }
}
