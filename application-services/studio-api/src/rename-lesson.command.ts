import { CommandHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import { CatalogCallHandler, type CourseCalls } from './catalog-call-handler.ts';
import type { CourseView, RenameLessonInput } from './studio-api-schemas.ts';
import { CourseChangeCommand } from './studio-command.ts';

/** Gives one lesson of a course a new title. */
export class RenameLessonCommand extends CourseChangeCommand<RenameLessonInput> {}

@CommandHandler(RenameLessonCommand)
export class RenameLessonHandler extends CatalogCallHandler<RenameLessonCommand, CourseView> {
  protected call(course: CourseCalls, { courseId, input }: RenameLessonCommand, options: CallOptions) {
    return course.renameLesson(courseId, input, options);
  }
}
