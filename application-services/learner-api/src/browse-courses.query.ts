import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CATALOG_CLIENT, LEARNER_API_SERVICE, type CatalogClient } from './injection-tokens.ts';
import type { BrowseCoursesQuery as BrowseInput, CoursePage } from './learner-api-schemas.ts';

/**
 * A page of published courses, optionally matching a text, in the finder's stable order (course
 * id); `nextCursor` continues it. Not cached: a search's pages shift with every publication.
 */
export class BrowseCoursesQuery extends Query<CoursePage> {
  readonly input: BrowseInput;
  /** The request id, sent as the call's correlation id so one request can be followed across services. */
  readonly correlationId: string;

  constructor(input: BrowseInput, correlationId: string) {
    super();
    this.input = input;
    this.correlationId = correlationId;
  }
}

@QueryHandler(BrowseCoursesQuery)
export class BrowseCoursesHandler implements IQueryHandler<BrowseCoursesQuery> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute({ input, correlationId }: BrowseCoursesQuery): Promise<CoursePage> {
    return this.#catalog.Course.findPublished(input, {
      caller: { service: LEARNER_API_SERVICE },
      correlationId,
    });
  }
}
