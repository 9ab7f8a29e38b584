import type { VerifiedCaller } from '@strata/runtime';
import type { CallOptions } from '@strata/rpc';
import { STUDIO_API_SERVICE } from './injection-tokens.ts';

/** What every studio command carries besides its own input: who acts, on which course, in which request. */
export interface CourseChange {
  readonly caller: VerifiedCaller;
  readonly courseId: string;
  /** The request id, sent as the call's correlation id so one request can be followed across services. */
  readonly correlationId: string;
  /** The course version the instructor edited (If-Match); a newer course refuses the change with 412. */
  readonly expectedVersion?: number | undefined;
}

/** The verified caller travels in RPC metadata; the catalog domain decides whether they may act. */
export function callOptionsFor(
  change: Pick<CourseChange, 'caller' | 'correlationId'> & { expectedVersion?: number | undefined },
): CallOptions {
  return {
    caller: { service: STUDIO_API_SERVICE, ...change.caller },
    correlationId: change.correlationId,
    ...(change.expectedVersion === undefined ? {} : { expectedVersion: change.expectedVersion }),
  };
}
