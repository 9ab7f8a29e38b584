import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { RpcError } from '@strata/shared-kernel';
import {
  CATALOG_CLIENT,
  LEARNING_CLIENT,
  type CatalogClient,
  type LearningClient,
} from './injection-tokens.ts';
import type { LessonView } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';

/** One lesson of a course, for a learner who has the course now. */
export class OpenLessonQuery extends Query<LessonView> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly courseId: string;
  readonly lessonId: string;
  readonly correlationId: string;

  constructor(request: LearnerRequest & { courseId: string; lessonId: string }) {
    super();
    this.caller = request.caller;
    this.courseId = request.courseId;
    this.lessonId = request.lessonId;
    this.correlationId = request.correlationId;
  }
}

/**
 * Learning decides whether the lessons are open to the caller (403 lessons-are-open-only-while-enrolled,
 * with the reason: not enrolled, or refunded); only then is the lesson read from the catalog,
 * whatever the course's listing now (a learner keeps a course that was unpublished after they got it).
 */
@QueryHandler(OpenLessonQuery)
export class OpenLessonHandler implements IQueryHandler<OpenLessonQuery> {
  readonly #learning: LearningClient;
  readonly #catalog: CatalogClient;

  constructor(
    @Inject(LEARNING_CLIENT) learning: LearningClient,
    @Inject(CATALOG_CLIENT) catalog: CatalogClient,
  ) {
    this.#learning = learning;
    this.#catalog = catalog;
  }

  async execute(query: OpenLessonQuery): Promise<LessonView> {
    const access = await this.#learning.Enrollment.checkLessonAccess(
      { courseId: query.courseId, limit: 1 },
      learnerCall(query),
    );
    const enrollment = access.items[0]!;
    const course = await this.#catalog.Course.get(query.courseId, learnerCall(query));
    const position = course.lessons.findIndex((lesson) => lesson.id === query.lessonId);
    if (position < 0) {
      throw new RpcError('NOT_FOUND', `course ${query.courseId} has no lesson ${query.lessonId}`, {
        reason: 'lesson-not-found',
      });
    }
    return {
      courseId: course.id,
      courseTitle: course.title,
      enrollmentId: enrollment.id,
      lesson: { ...course.lessons[position]!, position: position + 1, of: course.lessons.length },
      done: enrollment.completedLessonIds.includes(query.lessonId),
    };
  }
}
