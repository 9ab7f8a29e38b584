import { CommandHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import { CatalogCallHandler, type CourseCalls } from './catalog-call-handler.ts';
import type { CourseView, AddLessonBody } from './studio-api-schemas.ts';
import { CourseChangeCommand } from './studio-command.ts';

/** Appends a lesson; the new lesson is the answer's last. */
export class AddLessonCommand extends CourseChangeCommand<AddLessonBody> {}

@CommandHandler(AddLessonCommand)
export class AddLessonHandler extends CatalogCallHandler<AddLessonCommand, CourseView> {
  protected call(course: CourseCalls, { courseId, input }: AddLessonCommand, options: CallOptions) {
    return course.addLesson(courseId, input, options);
  }
}
