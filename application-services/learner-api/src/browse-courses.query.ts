import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CatalogQuery } from './catalog-query.ts';
import { anonymousCall } from './learner-call.ts';
import { CATALOG_CLIENT, type CatalogClient } from './injection-tokens.ts';
import type { BrowseCoursesQuery as BrowseInput, CoursePage } from './learner-api-schemas.ts';

/**
 * A page of published courses, optionally matching a text, in the finder's stable order (course
 * id); `nextCursor` continues it. A search page may be short, even empty, with a cursor: each looks
 * through a bounded stretch of the catalog (ADR 0035). Not cached: a search's pages shift with
 * every publication.
 */
export class BrowseCoursesQuery extends CatalogQuery<BrowseInput, CoursePage> {}

@QueryHandler(BrowseCoursesQuery)
export class BrowseCoursesHandler implements IQueryHandler<BrowseCoursesQuery> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute({ input, correlationId }: BrowseCoursesQuery): Promise<CoursePage> {
    return this.#catalog.Course.findPublished(input, anonymousCall(correlationId));
  }
}
