import { CommandHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import { CatalogCallHandler, type CourseCalls } from './catalog-call-handler.ts';
import type { CourseView, ReorderLessonsBody } from './studio-api-schemas.ts';
import { CourseChangeCommand } from './studio-command.ts';

/** Puts a course's lessons in the given order (every lesson, each once). */
export class ReorderLessonsCommand extends CourseChangeCommand<ReorderLessonsBody> {}

@CommandHandler(ReorderLessonsCommand)
export class ReorderLessonsHandler extends CatalogCallHandler<ReorderLessonsCommand, CourseView> {
  protected call(course: CourseCalls, { courseId, input }: ReorderLessonsCommand, options: CallOptions) {
    return course.reorderLessons(courseId, input, options);
  }
}
