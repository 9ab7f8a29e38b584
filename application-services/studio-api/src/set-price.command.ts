import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { callOptionsFor, type CourseChange } from './course-change.ts';
import { CATALOG_CLIENT, type CatalogClient } from './injection-tokens.ts';
import type { CourseView, SetPriceBody } from './studio-api-schemas.ts';

/** Sets a course's price in minor units of its currency. */
export class SetPriceCommand extends Command<CourseView> implements CourseChange {
  readonly caller: VerifiedCaller;
  readonly courseId: string;
  readonly correlationId: string;
  readonly expectedVersion: number | undefined;
  readonly input: SetPriceBody;

  constructor(
    caller: VerifiedCaller,
    courseId: string,
    input: SetPriceBody,
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

@CommandHandler(SetPriceCommand)
export class SetPriceHandler implements ICommandHandler<SetPriceCommand> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute(command: SetPriceCommand): Promise<CourseView> {
    return this.#catalog.Course.setPrice(command.courseId, command.input, callOptionsFor(command));
  }
}
