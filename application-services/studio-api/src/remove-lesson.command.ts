import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { callOptionsFor, type CourseChange } from './course-change.ts';
import { CATALOG_CLIENT, type CatalogClient } from './injection-tokens.ts';
import type { CourseView } from './studio-api-schemas.ts';

/** Takes one lesson out of a course. */
export class RemoveLessonCommand extends Command<CourseView> implements CourseChange {
  readonly caller: VerifiedCaller;
  readonly courseId: string;
  readonly lessonId: string;
  readonly correlationId: string;
  readonly expectedVersion: number | undefined;

  constructor(
    caller: VerifiedCaller,
    courseId: string,
    lessonId: string,
    correlationId: string,
    expectedVersion?: number,
  ) {
    super();
    this.caller = caller;
    this.courseId = courseId;
    this.lessonId = lessonId;
    this.correlationId = correlationId;
    this.expectedVersion = expectedVersion;
  }
}

@CommandHandler(RemoveLessonCommand)
export class RemoveLessonHandler implements ICommandHandler<RemoveLessonCommand> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute(command: RemoveLessonCommand): Promise<CourseView> {
    return this.#catalog.Course.removeLesson(
      command.courseId,
      { lessonId: command.lessonId },
      callOptionsFor(command),
    );
  }
}
