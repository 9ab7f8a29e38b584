export { actorOf, type CallContext } from './call-context.ts';
export type {
  AggregateImplementation,
  CommandHandler,
  CreationHandler,
  CreationOutcome,
  ExistingAggregates,
  FinderHandler,
  QueryHandler,
} from './contract-implementation.ts';
export {
  implementContract,
  type ContractImplementation,
  type ContractRuntimeOptions,
} from './implement-contract.ts';
export type { RuntimeLogger } from './runtime-logger.ts';
export { hostContracts, type HostedContract } from './hosted-contracts.ts';
export { servingOnly } from './served-service.ts';
export type {
  IdempotencyScope,
  Repository,
  UnitOfWork,
  UnitOfWorkOptions,
  UnitOfWorkScope,
} from './unit-of-work.ts';
