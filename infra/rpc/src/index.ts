export { isRetrySafeFailure } from './protocol.ts';
export { tracedHandler } from './rpc-spans.ts';
// zod's safeParse through a function compiled from the schema (ADR 0034), for HTTP boundaries too.
export { safeParsePrecompiled } from './validation/precompiled-schema.ts';
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
