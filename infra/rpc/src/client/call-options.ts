import type { CallerIdentity } from '../protocol.ts';

/** Per-call metadata and limits; everything is optional. */
export interface CallOptions {
  caller?: CallerIdentity;
  correlationId?: string;
  /** W3C trace context of the caller's span. */
  traceparent?: string;
  tracestate?: string;
  /** Makes a creation or non-idempotent command safe to retry: the server answers a repeat with the first result. */
  idempotencyKey?: string;
  /** For a command: the aggregate version the caller last saw; a newer one refuses the command (CONFLICT, reason `aggregate-version-mismatch`). */
  expectedVersion?: number;
  /** Relative limit in milliseconds; combined with `deadline`, the earlier wins. */
  timeoutMs?: number;
  /** Absolute deadline in epoch milliseconds, e.g. the incoming call's when serving another. */
  deadline?: number;
  signal?: AbortSignal;
}
