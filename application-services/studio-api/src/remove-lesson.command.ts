import { CommandHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import { CatalogCallHandler, type CourseCalls } from './catalog-call-handler.ts';
import type { CourseView, RemoveLessonInput } from './studio-api-schemas.ts';
import { CourseChangeCommand } from './studio-command.ts';

/** Takes one lesson out of a course. */
export class RemoveLessonCommand extends CourseChangeCommand<RemoveLessonInput> {}

@CommandHandler(RemoveLessonCommand)
export class RemoveLessonHandler extends CatalogCallHandler<RemoveLessonCommand, CourseView> {
  protected call(course: CourseCalls, { courseId, input }: RemoveLessonCommand, options: CallOptions) {
    return course.removeLesson(courseId, input, options);
  }
}
