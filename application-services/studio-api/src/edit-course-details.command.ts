import { CommandHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import { CatalogCallHandler, type CourseCalls } from './catalog-call-handler.ts';
import type { CourseView, EditCourseDetailsBody } from './studio-api-schemas.ts';
import { CourseChangeCommand } from './studio-command.ts';

/** Changes a course's title and/or description. */
export class EditCourseDetailsCommand extends CourseChangeCommand<EditCourseDetailsBody> {}

@CommandHandler(EditCourseDetailsCommand)
export class EditCourseDetailsHandler extends CatalogCallHandler<EditCourseDetailsCommand, CourseView> {
  protected call(course: CourseCalls, { courseId, input }: EditCourseDetailsCommand, options: CallOptions) {
    return course.editDetails(courseId, input, options);
  }
}
