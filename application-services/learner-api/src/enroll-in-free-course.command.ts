import { Command, CommandHandler } from '@nestjs/cqrs';
import { pointAtBodyField, type VerifiedCaller } from '@strata/runtime';
import type { LearningClient } from './injection-tokens.ts';
import type { EnrollBody, EnrollmentView } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { LearningCallHandler } from './learning-call-handler.ts';

/**
 * The learner takes a free course. Retry-safe by what it does: enrolling again answers the
 * enrollment the learner has (and gives a revoked one back); a priced course needs an order.
 */
export class EnrollInFreeCourseCommand extends Command<EnrollmentView> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly input: EnrollBody;
  readonly correlationId: string;

  constructor(request: LearnerRequest & { input: EnrollBody }) {
    super();
    this.caller = request.caller;
    this.input = request.input;
    this.correlationId = request.correlationId;
  }
}

@CommandHandler(EnrollInFreeCourseCommand)
export class EnrollInFreeCourseHandler extends LearningCallHandler<
  EnrollInFreeCourseCommand,
  EnrollmentView
> {
  protected async call(
    learning: LearningClient,
    command: EnrollInFreeCourseCommand,
  ): Promise<EnrollmentView> {
    try {
      return await learning.Enrollment.enrollInFreeCourse(command.input, learnerCall(command));
    } catch (error) {
      throw pointAtBodyField(error);
    }
  }
}
