import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequestId, ZodValidationPipe } from '@strata/runtime';
import { BrowseCoursesQuery } from './browse-courses.query.ts';
import { GetCourseDetailQuery } from './get-course-detail.query.ts';
import {
  BrowseCoursesQuery as BrowseInput,
  CourseParams,
  type CoursePage,
  type CourseView,
} from './learner-api-schemas.ts';

/** Browsing needs no login: the published catalogue is public. */
@Controller('courses')
export class LearnerController {
  readonly #queries: QueryBus;

  constructor(@Inject(QueryBus) queries: QueryBus) {
    this.#queries = queries;
  }

  @Get()
  browse(
    @Query(new ZodValidationPipe(BrowseInput, 'query')) input: BrowseInput,
    @RequestId() requestId: string,
  ): Promise<CoursePage> {
    return this.#queries.execute(new BrowseCoursesQuery({ input, correlationId: requestId }));
  }

  @Get(':courseId')
  detail(
    @Param(new ZodValidationPipe(CourseParams, 'params')) params: CourseParams,
    @RequestId() requestId: string,
  ): Promise<CourseView> {
    return this.#queries.execute(new GetCourseDetailQuery({ input: params, correlationId: requestId }));
  }
}
