import { z } from 'zod';
import type { Contract } from './define-contract.ts';

export type ContractElementKind =
  | 'aggregate'
  | 'creation'
  | 'command'
  | 'query'
  | 'finder'
  | 'event'
  | 'view-field'
  | 'input-field'
  | 'payload-field';

/**
 * One nameable thing of a contract, as a glossary ref names it: `Course`, `Course.publish`,
 * `CoursePublished`, `Course.title`, `Course.addLesson.title`, `CoursePublished.courseId`.
 */
export interface ContractElement {
  readonly ref: string;
  readonly kind: ContractElementKind;
  readonly aggregate: string;
  /** The element's zod type: the view for an aggregate, the input for a method, the payload for an event. */
  readonly schema: z.ZodType;
  /** Commands only. */
  readonly idempotent?: boolean;
  /** Events only: the schema version. */
  readonly version?: number;
  /** Events only, and only those not shipped through an outbox: their topic's suffix. */
  readonly topicSuffix?: string;
}

/** Walks a contract in declaration order, for the docs generator and the glossary check. */
export function contractElements(contract: Contract): ContractElement[] {
  const elements: ContractElement[] = [];
  const fields = (prefix: string, kind: ContractElementKind, aggregate: string, schema: z.ZodType): void => {
    if (!(schema instanceof z.ZodObject)) return;
    for (const [field, fieldSchema] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      elements.push({ ref: `${prefix}.${field}`, kind, aggregate, schema: fieldSchema });
    }
  };
  for (const [aggregate, definition] of Object.entries(contract.aggregates)) {
    elements.push({ ref: aggregate, kind: 'aggregate', aggregate, schema: definition.view });
    fields(aggregate, 'view-field', aggregate, definition.view);
    const methods = [
      ...Object.entries(definition.creations),
      ...Object.entries(definition.commands),
      ...Object.entries(definition.queries),
    ];
    for (const [name, method] of methods) {
      const ref = `${aggregate}.${name}`;
      elements.push({
        ref,
        kind: method.kind,
        aggregate,
        schema: method.input,
        ...(method.kind === 'command' ? { idempotent: method.idempotent } : {}),
      });
      fields(ref, 'input-field', aggregate, method.input);
    }
    for (const [type, definition_] of Object.entries(definition.events)) {
      elements.push({
        ref: type,
        kind: 'event',
        aggregate,
        schema: definition_.payload,
        version: definition_.version,
        ...(definition_.topicSuffix !== undefined ? { topicSuffix: definition_.topicSuffix } : {}),
      });
      fields(type, 'payload-field', aggregate, definition_.payload);
    }
  }
  return elements;
}
