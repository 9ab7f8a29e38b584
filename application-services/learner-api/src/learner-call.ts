import type { CallOptions } from '@strata/rpc';
import type { VerifiedCaller } from '@strata/runtime';
import { LEARNER_API_SERVICE } from './injection-tokens.ts';

/** What every request a learner makes carries besides its own input: who acts, in which request. */
export interface LearnerRequest {
  readonly caller: VerifiedCaller;
  /** The request id, sent as the call's correlation id so one request can be followed across services. */
  readonly correlationId: string;
}

/** The verified learner travels in RPC metadata; the ordering domain decides what they may do. */
export function learnerCall(request: LearnerRequest, expectedVersion?: number): CallOptions {
  return {
    caller: { service: LEARNER_API_SERVICE, ...request.caller },
    correlationId: request.correlationId,
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
  };
}

/**
 * The RPC idempotency key of a learner's `Idempotency-Key`. commerce-service scopes keys by the
 * calling service, and every learner calls through learner-api: without the learner's id in it,
 * two learners who picked the same key would be answered each other's order.
 */
export function learnerIdempotencyKey(learnerId: string, key: string): string {
  return `learner:${learnerId}:${key}`;
}

/** Browsing and checking a certificate are anonymous: learner-api calls as itself, on nobody's behalf. */
export function anonymousCall(correlationId: string): CallOptions {
  return { caller: { service: LEARNER_API_SERVICE }, correlationId };
}
