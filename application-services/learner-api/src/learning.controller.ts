import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { BearerAuthGuard, Caller, RequestId, ZodValidationPipe, type VerifiedCaller } from '@strata/runtime';
import { CompleteLessonCommand } from './complete-lesson.command.ts';
import { EnrollInFreeCourseCommand } from './enroll-in-free-course.command.ts';
import { OpenLessonQuery } from './open-lesson.query.ts';
import {
  CourseLessonParams,
  EnrollBody,
  LessonParams,
  MyLearningQuery,
  type CertificatePage,
  type EnrollmentView,
  type LessonView,
  type MyCoursePage,
} from './learner-api-schemas.ts';
import { ListMyCertificatesQuery } from './list-my-certificates.query.ts';
import { ListMyCoursesQuery } from './list-my-courses.query.ts';

const paging = new ZodValidationPipe(MyLearningQuery, 'query');

/**
 * Learning, for the verified learner: their courses and progress, enrolling in a free course,
 * completing lessons, their certificates. Every route acts for the caller; what they may do is
 * the learning domain's decision (a course bought is granted by its payment, not here).
 */
@Controller()
@UseGuards(BearerAuthGuard)
export class LearningController {
  readonly #commands: CommandBus;
  readonly #queries: QueryBus;

  constructor(@Inject(CommandBus) commands: CommandBus, @Inject(QueryBus) queries: QueryBus) {
    this.#commands = commands;
    this.#queries = queries;
  }

  @Get('my-courses')
  myCourses(
    @Query(paging) query: MyLearningQuery,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<MyCoursePage> {
    return this.#queries.execute(new ListMyCoursesQuery({ caller, paging: query, correlationId }));
  }

  /** 403 `lessons-are-open-only-while-enrolled` (reason not-enrolled or refunded) unless the caller has the course now. */
  @Get('my-courses/:courseId/lessons/:lessonId')
  openLesson(
    @Param(new ZodValidationPipe(CourseLessonParams, 'params')) { courseId, lessonId }: CourseLessonParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<LessonView> {
    return this.#queries.execute(new OpenLessonQuery({ caller, courseId, lessonId, correlationId }));
  }

  /** 200 with the enrollment, new or the one the learner already has in the course. */
  @Post('enrollments')
  @HttpCode(200)
  enroll(
    @Body(new ZodValidationPipe(EnrollBody, 'body')) input: EnrollBody,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<EnrollmentView> {
    return this.#commands.execute(new EnrollInFreeCourseCommand({ caller, input, correlationId }));
  }

  @Post('enrollments/:enrollmentId/lessons/:lessonId/complete')
  @HttpCode(200)
  completeLesson(
    @Param(new ZodValidationPipe(LessonParams, 'params')) { enrollmentId, lessonId }: LessonParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<EnrollmentView> {
    return this.#commands.execute(
      new CompleteLessonCommand({ caller, enrollmentId, lessonId, correlationId }),
    );
  }

  @Get('my-certificates')
  myCertificates(
    @Query(paging) query: MyLearningQuery,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<CertificatePage> {
    return this.#queries.execute(new ListMyCertificatesQuery({ caller, paging: query, correlationId }));
  }
}
