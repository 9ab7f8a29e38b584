import { CommandHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import { CatalogCallHandler, type CourseCalls } from './catalog-call-handler.ts';
import type { CourseView, PublicationInput } from './studio-api-schemas.ts';
import { CourseChangeCommand } from './studio-command.ts';

/** Publishes a course; the domain refuses one without lessons or price, naming the rule. */
export class PublishCourseCommand extends CourseChangeCommand<PublicationInput> {}

@CommandHandler(PublishCourseCommand)
export class PublishCourseHandler extends CatalogCallHandler<PublishCourseCommand, CourseView> {
  protected call(course: CourseCalls, { courseId, input }: PublishCourseCommand, options: CallOptions) {
    return course.publish(courseId, input, options);
  }
}
