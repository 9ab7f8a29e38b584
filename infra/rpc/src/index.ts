export type {
  CallMetadata,
  CallerIdentity,
  RpcHandler,
  RpcRequest,
  RpcResponse,
  SerializedError,
  SerializedIssue,
} from './protocol.ts';
