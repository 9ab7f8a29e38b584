import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { callOptionsFor } from './course-change.ts';
import { CATALOG_CLIENT, type CatalogClient } from './injection-tokens.ts';
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
export class ListMyCoursesHandler implements IQueryHandler<ListMyCoursesQuery> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute(query: ListMyCoursesQuery): Promise<CoursePage> {
    return this.#catalog.Course.findByInstructor(
      { instructorId: query.caller.userId, ...query.paging },
      callOptionsFor(query),
    );
  }
}
