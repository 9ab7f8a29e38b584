import type { CallMetadata } from '../protocol.ts';

/**
 * Per-call metadata (the wire's own `CallMetadata`: caller, correlation, trace context,
 * idempotency key, expected version) and limits; everything is optional.
 */
export interface CallOptions extends CallMetadata {
  /** Relative limit in milliseconds; combined with `deadline`, the earlier wins. */
  timeoutMs?: number;
  /** Absolute deadline in epoch milliseconds, e.g. the incoming call's when serving another. */
  deadline?: number;
  signal?: AbortSignal;
}
