import type { AggregateDefinition } from './aggregate.ts';
import { callPolicy, type CallPolicy } from './call-policy.ts';

const CONTEXT_NAME = /^[a-z][a-z0-9-]*$/;
const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL_CASE = /^[a-z][A-Za-z0-9]*$/;

/** A context's published language: its aggregate roots, their methods and their events, and how to call them. */
export interface Contract<
  TAggregates extends Record<string, AggregateDefinition> = Record<string, AggregateDefinition>,
> {
  readonly context: string;
  readonly aggregates: TAggregates;
  readonly callPolicy: CallPolicy;
}

/**
 * Checks the names the wire, the docs and the event topics rely on: aggregates and events in
 * PascalCase, methods in camelCase, event types unique across the context (they share a topic).
 */
export function defineContract<const TAggregates extends Record<string, AggregateDefinition>>(contract: {
  context: string;
  aggregates: TAggregates;
  /** Over DEFAULT_CALL_POLICY; plain data, so the context stays free of infrastructure. */
  callPolicy?: Partial<CallPolicy>;
}): Contract<TAggregates> {
  if (!CONTEXT_NAME.test(contract.context)) {
    throw new TypeError(
      `context name ${JSON.stringify(contract.context)} must be kebab-case, e.g. "catalog"`,
    );
  }
  const eventOwners = new Map<string, string>();
  for (const [aggregateName, definition] of Object.entries(contract.aggregates)) {
    if (!PASCAL_CASE.test(aggregateName)) {
      throw new TypeError(
        `aggregate name "${aggregateName}" in context ${contract.context} must be PascalCase, e.g. "Course"`,
      );
    }
    for (const method of [
      ...Object.keys(definition.creations),
      ...Object.keys(definition.commands),
      ...Object.keys(definition.queries),
    ]) {
      if (!CAMEL_CASE.test(method)) {
        throw new TypeError(`method "${aggregateName}.${method}" must be camelCase, e.g. "addLesson"`);
      }
    }
    for (const eventType of Object.keys(definition.events)) {
      if (!PASCAL_CASE.test(eventType)) {
        throw new TypeError(
          `event "${eventType}" of ${aggregateName} must be PascalCase in the past tense, e.g. "CoursePublished"`,
        );
      }
      const owner = eventOwners.get(eventType);
      if (owner !== undefined) {
        throw new TypeError(
          `event "${eventType}" is declared by both ${owner} and ${aggregateName}; event types must be unique in context ${contract.context}`,
        );
      }
      eventOwners.set(eventType, aggregateName);
    }
  }
  return {
    context: contract.context,
    aggregates: contract.aggregates,
    callPolicy: callPolicy(contract.context, contract.callPolicy),
  };
}
