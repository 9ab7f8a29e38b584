import type { RpcRequest, RpcResponse } from '../protocol.ts';
import type { ServiceInstance } from './service-instance.ts';

/**
 * What governance needs from a transport connection to one instance. Failures come back as
 * `{ ok: false }` with a platform code (UNAVAILABLE with `details.retrySafe: true` when the
 * server cannot have seen the call); the only rejection is the caller's own abort.
 */
export interface InstanceConnection {
  call(request: RpcRequest, signal?: AbortSignal): Promise<RpcResponse>;
  /** Calls sent and not yet answered. */
  readonly pending: number;
  /**
   * True when the connection itself answers DEADLINE_EXCEEDED once `request.deadline` passes and
   * stops the server's work (the TCP and in-process transports do). The invoker then arms no
   * deadline signal of its own for the call; absent means it does.
   */
  readonly enforcesDeadline?: boolean;
  close(): Promise<void>;
}

export type ConnectionFactory = (instance: ServiceInstance) => InstanceConnection;
