import { Command } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import type { CallOptions } from '@strata/rpc';
import { STUDIO_API_SERVICE } from './injection-tokens.ts';
import type { CourseView } from './studio-api-schemas.ts';

/** What every studio request carries besides its own input: who acts, in which request. */
export interface StudioRequest {
  readonly caller: VerifiedCaller;
  /** The request id, sent as the call's correlation id so one request can be followed across services. */
  readonly correlationId: string;
  /** The course version the instructor edited (If-Match); a newer course refuses the change with 412. */
  readonly expectedVersion?: number | undefined;
}

/** A change to one course: the catalog command's input, for that course, as the caller edited it. */
export interface CourseChange<TInput> extends StudioRequest {
  readonly courseId: string;
  readonly input: TInput;
}

/** The verified caller travels in RPC metadata; the catalog domain decides whether they may act. */
export function callOptionsFor(request: StudioRequest): CallOptions {
  return {
    caller: { service: STUDIO_API_SERVICE, ...request.caller },
    correlationId: request.correlationId,
    ...(request.expectedVersion === undefined ? {} : { expectedVersion: request.expectedVersion }),
  };
}

/**
 * A studio command: the catalog command's input, sent for the caller and answered with the course
 * as it now is. Each command is a subclass of its own, in a file of its own: the command bus finds
 * a handler by the command's class.
 */
export abstract class StudioCommand<TInput> extends Command<CourseView> implements StudioRequest {
  readonly caller: VerifiedCaller;
  readonly input: TInput;
  readonly correlationId: string;

  constructor(request: StudioRequest & { readonly input: TInput }) {
    super();
    this.caller = request.caller;
    this.input = request.input;
    this.correlationId = request.correlationId;
  }
}

/** A studio command on one existing course, refused with 412 if the course moved past the version edited. */
export abstract class CourseChangeCommand<TInput>
  extends StudioCommand<TInput>
  implements CourseChange<TInput>
{
  readonly courseId: string;
  readonly expectedVersion: number | undefined;

  constructor(change: CourseChange<TInput>) {
    super(change);
    this.courseId = change.courseId;
    this.expectedVersion = change.expectedVersion;
  }
}
