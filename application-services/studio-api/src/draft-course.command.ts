import { CommandHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import { CatalogCallHandler, type CourseCalls } from './catalog-call-handler.ts';
import type { CourseView, DraftCourseBody } from './studio-api-schemas.ts';
import { StudioCommand } from './studio-command.ts';

/** Starts a course owned by the caller; the domain refuses anyone without the instructor role. */
export class DraftCourseCommand extends StudioCommand<DraftCourseBody> {}

@CommandHandler(DraftCourseCommand)
export class DraftCourseHandler extends CatalogCallHandler<DraftCourseCommand, CourseView> {
  protected call(course: CourseCalls, { input }: DraftCourseCommand, options: CallOptions) {
    return course.draft(input, options);
  }
}
