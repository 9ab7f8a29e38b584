import type { Clock } from '@strata/shared-kernel';
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
