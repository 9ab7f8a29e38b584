import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { BearerAuthGuard, Caller, RequestId, ZodValidationPipe, type VerifiedCaller } from '@strata/runtime';
import { GetLearningStatsQuery } from './get-learning-stats.query.ts';
import { LearningStatsQuery, type LearningStatsPage } from './studio-api-schemas.ts';

/** Beside the sales: how the instructor's courses are learned (enrollments, active learners, completion rate). */
@Controller('learning')
@UseGuards(BearerAuthGuard)
export class LearningStatsController {
  readonly #queries: QueryBus;

  constructor(@Inject(QueryBus) queries: QueryBus) {
    this.#queries = queries;
  }

  @Get()
  stats(
    @Query(new ZodValidationPipe(LearningStatsQuery, 'query')) input: LearningStatsQuery,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<LearningStatsPage> {
    return this.#queries.execute(new GetLearningStatsQuery({ caller, input, correlationId }));
  }
}
