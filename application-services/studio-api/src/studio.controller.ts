import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  BearerAuthGuard,
  Caller,
  IfMatch,
  RequestId,
  VersionETagInterceptor,
  ZodValidationPipe,
  type VerifiedCaller,
} from '@strata/runtime';
import { AddLessonCommand } from './add-lesson.command.ts';
import { DraftCourseCommand } from './draft-course.command.ts';
import { EditCourseDetailsCommand } from './edit-course-details.command.ts';
import { ListMyCoursesQuery } from './list-my-courses.query.ts';
import { PublishCourseCommand } from './publish-course.command.ts';
import { RemoveLessonCommand } from './remove-lesson.command.ts';
import { RenameLessonCommand } from './rename-lesson.command.ts';
import { ReorderLessonsCommand } from './reorder-lessons.command.ts';
import { SetPriceCommand } from './set-price.command.ts';
import {
  AddLessonBody,
  CourseParams,
  DraftCourseBody,
  EditCourseDetailsBody,
  LessonParams,
  MyCoursesQuery,
  RenameLessonBody,
  ReorderLessonsBody,
  SetPriceBody,
  type CoursePage,
  type CourseView,
} from './studio-api-schemas.ts';
import { UnpublishCourseCommand } from './unpublish-course.command.ts';

const course = new ZodValidationPipe(CourseParams, 'params');
const lesson = new ZodValidationPipe(LessonParams, 'params');

/**
 * Every route acts for the verified caller; whether they may is the catalog domain's decision.
 * Every answered course carries its version as an ETag; a change sent with If-Match is refused with
 * 412 if the course moved on since, and editing the details requires If-Match (428 without), since
 * two instructors' tabs overwriting each other's text is the lost update this prevents.
 */
@Controller('courses')
@UseGuards(BearerAuthGuard)
@UseInterceptors(VersionETagInterceptor)
export class StudioController {
  readonly #commands: CommandBus;
  readonly #queries: QueryBus;

  constructor(@Inject(CommandBus) commands: CommandBus, @Inject(QueryBus) queries: QueryBus) {
    this.#commands = commands;
    this.#queries = queries;
  }

  @Get()
  mine(
    @Query(new ZodValidationPipe(MyCoursesQuery, 'query')) paging: MyCoursesQuery,
    @Caller() caller: VerifiedCaller,
    @RequestId() requestId: string,
  ): Promise<CoursePage> {
    return this.#queries.execute(new ListMyCoursesQuery(caller, paging, requestId));
  }

  @Post()
  @HttpCode(201)
  draft(
    @Body(new ZodValidationPipe(DraftCourseBody, 'body')) input: DraftCourseBody,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<CourseView> {
    return this.#commands.execute(new DraftCourseCommand({ caller, input, correlationId }));
  }

  @Patch(':courseId')
  editDetails(
    @Param(course) { courseId }: CourseParams,
    @Body(new ZodValidationPipe(EditCourseDetailsBody, 'body')) input: EditCourseDetailsBody,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @IfMatch(true) expectedVersion: number | undefined,
  ): Promise<CourseView> {
    return this.#commands.execute(
      new EditCourseDetailsCommand({ caller, courseId, input, correlationId, expectedVersion }),
    );
  }

  @Post(':courseId/lessons')
  @HttpCode(201)
  addLesson(
    @Param(course) { courseId }: CourseParams,
    @Body(new ZodValidationPipe(AddLessonBody, 'body')) input: AddLessonBody,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @IfMatch() expectedVersion: number | undefined,
  ): Promise<CourseView> {
    return this.#commands.execute(
      new AddLessonCommand({ caller, courseId, input, correlationId, expectedVersion }),
    );
  }

  @Put(':courseId/lessons/order')
  reorderLessons(
    @Param(course) { courseId }: CourseParams,
    @Body(new ZodValidationPipe(ReorderLessonsBody, 'body')) input: ReorderLessonsBody,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @IfMatch() expectedVersion: number | undefined,
  ): Promise<CourseView> {
    return this.#commands.execute(
      new ReorderLessonsCommand({ caller, courseId, input, correlationId, expectedVersion }),
    );
  }

  @Patch(':courseId/lessons/:lessonId')
  renameLesson(
    @Param(lesson) { courseId, lessonId }: LessonParams,
    @Body(new ZodValidationPipe(RenameLessonBody, 'body')) { title }: RenameLessonBody,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @IfMatch() expectedVersion: number | undefined,
  ): Promise<CourseView> {
    return this.#commands.execute(
      new RenameLessonCommand({
        caller,
        courseId,
        input: { lessonId, title },
        correlationId,
        expectedVersion,
      }),
    );
  }

  @Delete(':courseId/lessons/:lessonId')
  removeLesson(
    @Param(lesson) { courseId, lessonId }: LessonParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @IfMatch() expectedVersion: number | undefined,
  ): Promise<CourseView> {
    return this.#commands.execute(
      new RemoveLessonCommand({ caller, courseId, input: { lessonId }, correlationId, expectedVersion }),
    );
  }

  @Put(':courseId/price')
  setPrice(
    @Param(course) { courseId }: CourseParams,
    @Body(new ZodValidationPipe(SetPriceBody, 'body')) input: SetPriceBody,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @IfMatch() expectedVersion: number | undefined,
  ): Promise<CourseView> {
    return this.#commands.execute(
      new SetPriceCommand({ caller, courseId, input, correlationId, expectedVersion }),
    );
  }

  @Post(':courseId/publication')
  @HttpCode(200)
  publish(
    @Param(course) { courseId }: CourseParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @IfMatch() expectedVersion: number | undefined,
  ): Promise<CourseView> {
    return this.#commands.execute(
      new PublishCourseCommand({ caller, courseId, input: {}, correlationId, expectedVersion }),
    );
  }

  @Delete(':courseId/publication')
  unpublish(
    @Param(course) { courseId }: CourseParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @IfMatch() expectedVersion: number | undefined,
  ): Promise<CourseView> {
    return this.#commands.execute(
      new UnpublishCourseCommand({ caller, courseId, input: {}, correlationId, expectedVersion }),
    );
  }
}
