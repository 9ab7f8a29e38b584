import type { SerializedError } from '@strata/shared-kernel';

/**
 * The shapes every RPC layer agrees on: the typed client produces an RpcRequest, governance
 * (registry, balancing, resilience) routes it, a transport carries it, and the server runtime
 * answers it with an RpcResponse. Transports never look inside payloads; the server never
 * looks at sockets.
 */

/** Who is calling, as verified by the edge and carried on every hop. */
export interface CallerIdentity {
  /** The calling service, as named in its certificate or embedded registration. */
  service?: string;
  /** The end user on whose behalf the call is made, when there is one. */
  userId?: string;
  roles?: string[];
}

export interface CallMetadata {
  caller?: CallerIdentity;
  correlationId?: string;
  /** W3C trace context: https://www.w3.org/TR/trace-context/ */
  traceparent?: string;
  tracestate?: string;
  /** Makes a non-idempotent command safe to retry: the data service answers a repeat with the first result. */
  idempotencyKey?: string;
  /**
   * For a command: the aggregate version the caller last saw (an HTTP If-Match). A command on an
   * aggregate that has moved on since is refused, so one editor cannot silently overwrite another.
   */
  expectedVersion?: number;
}

export interface RpcRequest {
  /** The data service that owns the aggregate, e.g. 'commerce-service'. */
  service: string;
  /** '<Aggregate>.<method>', e.g. 'Course.publish'. */
  method: string;
  payload: unknown;
  metadata: CallMetadata;
  /** Absolute deadline in epoch milliseconds; absent means the server's default. */
  deadline?: number;
}

// The error shape on the wire is the kernel's, so a domain refusal crosses every hop intact.
export type { SerializedError, SerializedIssue } from '@strata/shared-kernel';

export type RpcResponse = { ok: true; result: unknown } | { ok: false; error: SerializedError };

/** What a server exposes to transports: one function, aborted when the call's deadline passes or the caller goes away. */
export type RpcHandler = (request: RpcRequest, signal: AbortSignal) => Promise<RpcResponse>;

/** The governance kind of a call: retries, hedging and routing differ per kind. */
export type InvocationKind = 'create' | 'command' | 'query';

export interface InvokeOptions {
  kind: InvocationKind;
  /** True when repeating the call cannot do harm twice (the contract marks it); absent means false. */
  idempotent?: boolean;
  /** The aggregate id, for consistent-hash balancing; absent for creations and finders. */
  hashKey?: string;
  /** The caller giving up; the returned promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** How a client reaches a service: governance's ClusterInvoker in production, `inProcessInvoke` in embedded tests. */
export type Invoke = (request: RpcRequest, options: InvokeOptions) => Promise<RpcResponse>;

/**
 * An UNAVAILABLE answer whose `details.retrySafe` is true guarantees that no handler ran the call
 * (never sent, or refused before dispatch), so even a non-idempotent call may go to another instance.
 */
export function isRetrySafeFailure(response: RpcResponse): boolean {
  return (
    !response.ok && response.error.code === 'UNAVAILABLE' && response.error.details?.['retrySafe'] === true
  );
}
