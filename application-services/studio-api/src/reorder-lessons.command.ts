import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { callOptionsFor, type CourseChange } from './course-change.ts';
import { CATALOG_CLIENT, type CatalogClient } from './injection-tokens.ts';
import type { CourseView, ReorderLessonsBody } from './studio-api-schemas.ts';

/** Puts a course's lessons in the given order (every lesson, each once). */
export class ReorderLessonsCommand extends Command<CourseView> implements CourseChange {
  readonly caller: VerifiedCaller;
  readonly courseId: string;
  readonly correlationId: string;
  readonly expectedVersion: number | undefined;
  readonly input: ReorderLessonsBody;

  constructor(
    caller: VerifiedCaller,
    courseId: string,
    input: ReorderLessonsBody,
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

@CommandHandler(ReorderLessonsCommand)
export class ReorderLessonsHandler implements ICommandHandler<ReorderLessonsCommand> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute(command: ReorderLessonsCommand): Promise<CourseView> {
    return this.#catalog.Course.reorderLessons(command.courseId, command.input, callOptionsFor(command));
  }
}
