import type { RpcRequest, RpcResponse } from '../protocol.ts';

/**
 * 'open' takes calls; 'draining' answers the calls already sent but refuses new ones (the server
 * said goaway, or close() was called); 'closed' is final.
 */
export type ConnectionState = 'open' | 'draining' | 'closed';

/**
 * The client side of a transport: one logical connection to one server instance. Governance
 * (balancers, breakers, failover) holds many of these and never sees sockets.
 *
 * Failures come back as `{ ok: false, error }` with a platform code, never as a rejection:
 * UNAVAILABLE when the call could not be carried (with `details.retrySafe: true` when no handler
 * ran it, so that even a non-idempotent call may be sent to another instance),
 * DEADLINE_EXCEEDED when the request's deadline passed. The only rejection is the caller's own
 * abort, with the signal's reason.
 */
export interface RpcConnection {
  call(request: RpcRequest, signal?: AbortSignal): Promise<RpcResponse>;
  /** Calls sent and not yet answered: what power-of-two-choices balancing compares. */
  readonly pending: number;
  /** Always true: a transport answers DEADLINE_EXCEEDED itself when the request's deadline passes. */
  readonly enforcesDeadline: true;
  readonly state: ConnectionState;
  /** Called on every state change; returns the unsubscribe function. */
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  /** Refuses new calls, lets pending ones finish for up to `graceMs`, fails the rest UNAVAILABLE and closes. */
  close(graceMs?: number): Promise<void>;
}

/** The server side of a transport, as returned by a listen function. */
export interface RpcListener {
  readonly address: { host: string; port: number };
  /** Open connections, for health and for tests. */
  readonly connections: number;
  /** Calls whose handler is still running across all connections. */
  readonly inFlight: number;
  /**
   * Graceful shutdown: stop accepting, tell every client goaway, let in-flight calls finish for up
   * to `timeoutMs`, then abort what is left and close.
   */
  drain(timeoutMs?: number): Promise<void>;
  /** Immediate shutdown: abort every handler and drop every connection. */
  close(): Promise<void>;
}
