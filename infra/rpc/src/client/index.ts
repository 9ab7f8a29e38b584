export type { CallOptions } from './call-options.ts';
export {
  createContractClient,
  type AggregateClient,
  type ContractClient,
  type ContractClientOptions,
} from './contract-client.ts';
export { inProcessInvoke } from './in-process-invoke.ts';
export {
  currentTraceContext,
  parseTraceContext,
  withTraceContext,
  type TraceContext,
} from './trace-context.ts';
