import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { callOptionsFor, type CourseChange } from './course-change.ts';
import { CATALOG_CLIENT, type CatalogClient } from './injection-tokens.ts';
import type { CourseView, RenameLessonBody } from './studio-api-schemas.ts';

/** Gives one lesson of a course a new title. */
export class RenameLessonCommand extends Command<CourseView> implements CourseChange {
  readonly caller: VerifiedCaller;
  readonly courseId: string;
  readonly lessonId: string;
  readonly input: RenameLessonBody;
  readonly correlationId: string;
  readonly expectedVersion: number | undefined;

  constructor(
    caller: VerifiedCaller,
    courseId: string,
    lessonId: string,
    input: RenameLessonBody,
    correlationId: string,
    expectedVersion?: number,
  ) {
    super();
    this.caller = caller;
    this.courseId = courseId;
    this.lessonId = lessonId;
    this.input = input;
    this.correlationId = correlationId;
    this.expectedVersion = expectedVersion;
  }
}

@CommandHandler(RenameLessonCommand)
export class RenameLessonHandler implements ICommandHandler<RenameLessonCommand> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute(command: RenameLessonCommand): Promise<CourseView> {
    return this.#catalog.Course.renameLesson(
      command.courseId,
      { lessonId: command.lessonId, title: command.input.title },
      callOptionsFor(command),
    );
  }
}
