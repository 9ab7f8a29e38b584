import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { callOptionsFor, type CourseChange } from './course-change.ts';
import { CATALOG_CLIENT, type CatalogClient } from './injection-tokens.ts';
import type { CourseView, AddLessonBody } from './studio-api-schemas.ts';

/** Appends a lesson; the new lesson is the answer's last. */
export class AddLessonCommand extends Command<CourseView> implements CourseChange {
  readonly caller: VerifiedCaller;
  readonly courseId: string;
  readonly correlationId: string;
  readonly expectedVersion: number | undefined;
  readonly input: AddLessonBody;

  constructor(
    caller: VerifiedCaller,
    courseId: string,
    input: AddLessonBody,
    correlationId: string,
    expectedVersion?: number,
  ) {
    super();
    this.caller = caller;
    this.courseId = courseId;
    this.input = input;
    this.correlationId = correlationId;
    this.expectedVersion = expectedVersion;
  }
}

@CommandHandler(AddLessonCommand)
export class AddLessonHandler implements ICommandHandler<AddLessonCommand> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute(command: AddLessonCommand): Promise<CourseView> {
    return this.#catalog.Course.addLesson(command.courseId, command.input, callOptionsFor(command));
  }
}
