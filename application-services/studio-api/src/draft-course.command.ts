import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { callOptionsFor } from './course-change.ts';
import { CATALOG_CLIENT, type CatalogClient } from './injection-tokens.ts';
import type { CourseView, DraftCourseBody } from './studio-api-schemas.ts';

/** Starts a course owned by the caller; the domain refuses anyone without the instructor role. */
export class DraftCourseCommand extends Command<CourseView> {
  readonly caller: VerifiedCaller;
  readonly input: DraftCourseBody;
  readonly correlationId: string;

  constructor(caller: VerifiedCaller, input: DraftCourseBody, correlationId: string) {
    super();
    this.caller = caller;
    this.input = input;
    this.correlationId = correlationId;
  }
}

@CommandHandler(DraftCourseCommand)
export class DraftCourseHandler implements ICommandHandler<DraftCourseCommand> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute(command: DraftCourseCommand): Promise<CourseView> {
    return this.#catalog.Course.draft(command.input, callOptionsFor(command));
  }
}
