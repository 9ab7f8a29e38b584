export { actorOf, type CallContext } from './call-context.ts';
export type {
  AggregateImplementation,
  CommandHandler,
  CreationHandler,
  FinderHandler,
  QueryHandler,
} from './contract-implementation.ts';
export {
  implementContract,
  type ContractImplementation,
  type ContractRuntimeOptions,
} from './implement-contract.ts';
export type { RuntimeLogger } from './runtime-logger.ts';
export { servingOnly } from './served-service.ts';
export type { IdempotencyScope, Repository, UnitOfWork, UnitOfWorkScope } from './unit-of-work.ts';
