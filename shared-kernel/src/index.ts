export type { Actor } from './domain/actor.ts';
export { AggregateRoot } from './domain/aggregate-root.ts';
export { checkRule, ensure, type BusinessRule } from './domain/business-rule.ts';
export { FixedClock, systemClock, type Clock } from './domain/clock.ts';
export type { DomainEvent } from './domain/domain-event.ts';
export {
  DomainError,
  isDomainError,
  type DomainErrorCategory,
  type DomainErrorOptions,
} from './domain/domain-error.ts';
export { Entity } from './domain/entity.ts';
export { isUuidV7, newId, toId, type Id } from './domain/id.ts';
export { Money } from './domain/money.ts';
export { randomPool, takeRandomBytes } from './domain/random-pool.ts';
export {
  MULTILINE_TEXT,
  multilineText,
  normalisePlainText,
  oneLineText,
  plainTextCharacterMessage,
  plainTextPattern,
  SINGLE_LINE_TEXT,
  type PlainTextRule,
  type PlainTextSpec,
} from './domain/plain-text.ts';
export { TextValue } from './domain/text-value.ts';
export { ValueObject } from './domain/value-object.ts';
export { ERROR_CODES, isErrorCode, type ErrorCode } from './errors/error-code.ts';
export { PROBLEM_TYPE_BASE, problemType } from './errors/problem-type.ts';
export { RpcError, isRpcError, type RpcErrorOptions } from './errors/rpc-error.ts';
export type { SerializedError, SerializedIssue } from './errors/serialized-error.ts';
export { fromDomainError, invalidArgument, issuesOf, toRpcError } from './errors/to-rpc-error.ts';
export {
  aggregate,
  IMPLICIT_GET,
  type AggregateDefinition,
  type AggregateSpec,
} from './contract/aggregate.ts';
export {
  contractElements,
  type ContractElement,
  type ContractElementKind,
} from './contract/contract-elements.ts';
export {
  callPolicy,
  CallPolicySchema,
  DEFAULT_CALL_POLICY,
  RateLimitSchema,
  type CallPolicy,
} from './contract/call-policy.ts';
export { contractMethods, type ContractMethod, type MethodKind } from './contract/contract-method.ts';
export { defineContract, type Contract } from './contract/define-contract.ts';
export { event, firstVersionEvents, type EventDefinition, type EventOptions } from './contract/event.ts';
export {
  checkGlossary,
  defineGlossary,
  type Glossary,
  type GlossaryProblem,
  type GlossaryTerm,
} from './contract/glossary.ts';
export type {
  AggregateNames,
  AggregatesOf,
  EventPayload,
  EventsOf,
  EventTypes,
  IdOf,
  ItemSchema,
  MethodInput,
  MethodOutput,
  OutputSchema,
  ParsedMethodInput,
  ViewOf,
} from './contract/infer.ts';
export {
  command,
  creation,
  finder,
  query,
  type CommandDefinition,
  type CreationDefinition,
  type FinderDefinition,
  type MethodDefinition,
  type QueryDefinition,
} from './contract/methods.ts';
export { plainText } from './contract/plain-text-schema.ts';
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, pageOf, type Page, type PagingInput } from './contract/page.ts';
// Contracts are written with zod; contexts reach it through the kernel so they depend on nothing else.
export { z } from 'zod';
