import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { callOptionsFor, type CourseChange } from './course-change.ts';
import { CATALOG_CLIENT, type CatalogClient } from './injection-tokens.ts';
import type { CourseView } from './studio-api-schemas.ts';

/** Takes a course off the catalogue; it stays the instructor's to edit and publish again. */
export class UnpublishCourseCommand extends Command<CourseView> implements CourseChange {
  readonly caller: VerifiedCaller;
  readonly courseId: string;
  readonly correlationId: string;
  readonly expectedVersion: number | undefined;

  constructor(caller: VerifiedCaller, courseId: string, correlationId: string, expectedVersion?: number) {
    super();
    this.caller = caller;
    this.courseId = courseId;
    this.correlationId = correlationId;
    this.expectedVersion = expectedVersion;
  }
}

@CommandHandler(UnpublishCourseCommand)
export class UnpublishCourseHandler implements ICommandHandler<UnpublishCourseCommand> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute(command: UnpublishCourseCommand): Promise<CourseView> {
    return this.#catalog.Course.unpublish(command.courseId, {}, callOptionsFor(command));
  }
}
