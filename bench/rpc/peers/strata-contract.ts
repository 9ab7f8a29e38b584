import { AggregateRoot, aggregate, command, defineContract, z } from '@strata/shared-kernel';
import { courseDraftSchema, type CourseDraft } from '../payload.ts';

/**
 * A one-method contract for the bench: `Course.revise` replaces a draft's content and answers the
 * view, so a call runs the whole server path (payload validation, load, domain method, unit of
 * work, output validation) with the same 1 KB both ways. Replacing content is idempotent, which
 * makes the call eligible for governance's retries like any real idempotent command.
 */
export const benchContract = defineContract({
  context: 'bench',
  aggregates: {
    Course: aggregate({
      id: z.uuid(),
      view: courseDraftSchema,
      commands: { revise: command({ input: courseDraftSchema, idempotent: true }) },
    }),
  },
});

export const BENCH_SERVICE = 'bench-server';

export class BenchCourse extends AggregateRoot {
  draft: CourseDraft;

  constructor(draft: CourseDraft) {
    super();
    (this as { id: string }).id = draft.id;
    this.draft = draft;
  }

  get aggregateType(): string {
    return 'Course';
  }

  revise(draft: CourseDraft): void {
    this.draft = draft;
  }
}
