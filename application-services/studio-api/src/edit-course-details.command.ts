import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { callOptionsFor, type CourseChange } from './course-change.ts';
import { CATALOG_CLIENT, type CatalogClient } from './injection-tokens.ts';
import type { CourseView, EditCourseDetailsBody } from './studio-api-schemas.ts';

/** Changes a course's title and/or description. */
export class EditCourseDetailsCommand extends Command<CourseView> implements CourseChange {
  readonly caller: VerifiedCaller;
  readonly courseId: string;
  readonly correlationId: string;
  readonly expectedVersion: number | undefined;
  readonly input: EditCourseDetailsBody;

  constructor(
    caller: VerifiedCaller,
    courseId: string,
    input: EditCourseDetailsBody,
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

@CommandHandler(EditCourseDetailsCommand)
export class EditCourseDetailsHandler implements ICommandHandler<EditCourseDetailsCommand> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute(command: EditCourseDetailsCommand): Promise<CourseView> {
    return this.#catalog.Course.editDetails(command.courseId, command.input, callOptionsFor(command));
  }
}
