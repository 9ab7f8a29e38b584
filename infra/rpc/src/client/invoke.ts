import type { RpcRequest, RpcResponse } from '../protocol.ts';

/** The governance kind of a call: retries, hedging and routing differ per kind. */
export type InvocationKind = 'create' | 'command' | 'query';

export interface InvokeOptions {
  /** Whether the call may be retried or hedged without a second effect. */
  idempotent: boolean;
  kind: InvocationKind;
  /** The aggregate id, for consistent-hash balancing; absent for creations and finders. */
  hashKey?: string;
  signal?: AbortSignal;
}

/** How a client reaches a service: governance's ClusterInvoker in production, `inProcessInvoke` in embedded tests. */
export type Invoke = (request: RpcRequest, options: InvokeOptions) => Promise<RpcResponse>;
