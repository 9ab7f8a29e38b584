export { isRetrySafeFailure } from './protocol.ts';
export { tracedHandler } from './rpc-spans.ts';
export type {
  CallMetadata,
  CallerIdentity,
  InvocationKind,
  Invoke,
  InvokeOptions,
  RpcHandler,
  RpcRequest,
  RpcResponse,
  SerializedError,
  SerializedIssue,
} from './protocol.ts';
export * from './server/index.ts';
export * from './client/index.ts';
export * from './transport/index.ts';
export * from './security/index.ts';
export * from './governance/index.ts';
