import { CommandHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import { CatalogCallHandler, type CourseCalls } from './catalog-call-handler.ts';
import type { CourseView, PublicationInput } from './studio-api-schemas.ts';
import { CourseChangeCommand } from './studio-command.ts';

/** Takes a course off the catalogue; it stays the instructor's to edit and publish again. */
export class UnpublishCourseCommand extends CourseChangeCommand<PublicationInput> {}

@CommandHandler(UnpublishCourseCommand)
export class UnpublishCourseHandler extends CatalogCallHandler<UnpublishCourseCommand, CourseView> {
  protected call(course: CourseCalls, { courseId, input }: UnpublishCourseCommand, options: CallOptions) {
    return course.unpublish(courseId, input, options);
  }
}
