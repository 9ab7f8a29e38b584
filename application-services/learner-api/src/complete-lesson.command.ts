import { Command, CommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import type { LearningClient } from './injection-tokens.ts';
import type { EnrollmentView } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { LearningCallHandler } from './learning-call-handler.ts';

/**
 * The learner finished a lesson of their enrollment. Twice changes nothing; the last lesson left
 * completes the course, and its certificate follows. The enrollment's rules decide the refusals
 * (not theirs, not active, a lesson not in the outline).
 */
export class CompleteLessonCommand extends Command<EnrollmentView> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly enrollmentId: string;
  readonly lessonId: string;
  readonly correlationId: string;

  constructor(request: LearnerRequest & { enrollmentId: string; lessonId: string }) {
    super();
    this.caller = request.caller;
    this.enrollmentId = request.enrollmentId;
    this.lessonId = request.lessonId;
    this.correlationId = request.correlationId;
  }
}

@CommandHandler(CompleteLessonCommand)
export class CompleteLessonHandler extends LearningCallHandler<CompleteLessonCommand, EnrollmentView> {
  protected call(learning: LearningClient, command: CompleteLessonCommand): Promise<EnrollmentView> {
    return learning.Enrollment.completeLesson(
      command.enrollmentId,
      { lessonId: command.lessonId },
      learnerCall(command),
    );
  }
}
