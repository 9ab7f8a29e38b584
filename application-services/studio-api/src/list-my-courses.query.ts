import { Query, QueryHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import type { VerifiedCaller } from '@strata/runtime';
import { CatalogCallHandler, type CourseCalls } from './catalog-call-handler.ts';
import type { CoursePage, MyCoursesQuery } from './studio-api-schemas.ts';

/** The caller's own courses, drafts included, a page at a time. */
export class ListMyCoursesQuery extends Query<CoursePage> {
  readonly caller: VerifiedCaller;
  readonly paging: MyCoursesQuery;
  readonly correlationId: string;

  constructor(caller: VerifiedCaller, paging: MyCoursesQuery, correlationId: string) {
    super();
    this.caller = caller;
    this.paging = paging;
    this.correlationId = correlationId;
  }
}

@QueryHandler(ListMyCoursesQuery)
export class ListMyCoursesHandler extends CatalogCallHandler<ListMyCoursesQuery, CoursePage> {
  protected call(course: CourseCalls, { caller, paging }: ListMyCoursesQuery, options: CallOptions) {
    return course.findByInstructor({ instructorId: caller.userId, ...paging }, options);
  }
}
