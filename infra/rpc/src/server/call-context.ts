import { RpcError, type Actor, type Clock } from '@strata/shared-kernel';
import type { CallerIdentity } from '../protocol.ts';

/**
 * What an implementation knows about the call it serves. Ownership rules live in the domain, so
 * implementations turn `caller` into the actor they pass to domain methods; `signal` aborts when
 * the deadline passes or the caller goes away.
 */
export interface CallContext {
  /** '<Aggregate>.<method>'. */
  readonly method: string;
  /** Empty when the call carries no identity (e.g. a system job). */
  readonly caller: CallerIdentity;
  readonly correlationId: string | undefined;
  readonly traceparent: string | undefined;
  readonly clock: Clock;
  readonly signal: AbortSignal;
}

/**
 * The verified end user of the call as the domain's actor; a change is always made by someone,
 * so a call without an identity is refused before the domain runs.
 */
export function actorOf(context: CallContext): Actor {
  const { userId, roles } = context.caller;
  if (userId === undefined) {
    throw new RpcError(
      'UNAUTHENTICATED',
      `${context.method} needs the calling user's identity in the call metadata`,
      { reason: 'caller-identity-required' },
    );
  }
  return { userId, roles: roles ?? [] };
}
