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
export { ValueObject } from './domain/value-object.ts';
export { ERROR_CODES, isErrorCode, type ErrorCode } from './errors/error-code.ts';
// Contracts are written with zod; contexts reach it through the kernel so they depend on nothing else.
export { z } from 'zod';
