import { CommandHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import { CatalogCallHandler, type CourseCalls } from './catalog-call-handler.ts';
import type { CourseView, SetPriceBody } from './studio-api-schemas.ts';
import { CourseChangeCommand } from './studio-command.ts';

/** Sets a course's price in minor units of its currency. */
export class SetPriceCommand extends CourseChangeCommand<SetPriceBody> {}

@CommandHandler(SetPriceCommand)
export class SetPriceHandler extends CatalogCallHandler<SetPriceCommand, CourseView> {
  protected call(course: CourseCalls, { courseId, input }: SetPriceCommand, options: CallOptions) {
    return course.setPrice(courseId, input, options);
  }
}
