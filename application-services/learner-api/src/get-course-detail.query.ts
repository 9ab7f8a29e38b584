import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Cache } from '@strata/cache';
import { RpcError } from '@strata/shared-kernel';
import { CatalogQuery } from './catalog-query.ts';
import { anonymousCall } from './learner-call.ts';
import { courseCacheKey } from './course-cache-key.ts';
import {
  CATALOG_CLIENT,
  COURSE_CACHE,
  COURSE_DETAIL_TTL_MS,
  type CatalogClient,
} from './injection-tokens.ts';
import type { CourseParams, CourseView } from './learner-api-schemas.ts';

export class GetCourseDetailQuery extends CatalogQuery<CourseParams, CourseView> {}

/**
 * A published course, cache-aside. A course that is unknown or not published is cached as `null`
 * too, so probing it does not reach commerce-service each time; publishing it invalidates the key.
 */
@QueryHandler(GetCourseDetailQuery)
export class GetCourseDetailHandler implements IQueryHandler<GetCourseDetailQuery> {
  readonly #catalog: CatalogClient;
  readonly #cache: Cache;
  readonly #ttlMs: number;

  constructor(
    @Inject(CATALOG_CLIENT) catalog: CatalogClient,
    @Inject(COURSE_CACHE) cache: Cache,
    @Inject(COURSE_DETAIL_TTL_MS) ttlMs: number,
  ) {
    this.#catalog = catalog;
    this.#cache = cache;
    this.#ttlMs = ttlMs;
  }

  async execute({ input: { courseId }, correlationId }: GetCourseDetailQuery): Promise<CourseView> {
    const course = await this.#cache.getOrLoad(
      courseCacheKey(courseId),
      () => this.#loadPublished(courseId, correlationId),
      { ttlMs: this.#ttlMs },
    );
    if (course === null) {
      throw new RpcError('NOT_FOUND', `no published course has the id ${courseId}`, {
        reason: 'course-not-found',
      });
    }
    return course;
  }

  async #loadPublished(courseId: string, correlationId: string): Promise<CourseView | null> {
    try {
      const course = await this.#catalog.Course.get(courseId, anonymousCall(correlationId));
      return course.status === 'published' ? course : null;
    } catch (error) {
      if (error instanceof RpcError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }
}
