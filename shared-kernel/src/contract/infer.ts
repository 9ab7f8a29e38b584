import type { z } from 'zod';
import type { AggregateDefinition } from './aggregate.ts';
import type { Contract } from './define-contract.ts';
import type { EventDefinition } from './event.ts';
import type {
  CommandDefinition,
  CreationDefinition,
  FinderDefinition,
  MethodDefinition,
  QueryDefinition,
} from './methods.ts';
import type { Page, PagingInput } from './page.ts';

/*
 * Types derived from a contract alone: clients and server handlers get them without codegen.
 * `…Input` is what a caller may send (z.input), `Parsed…` what a handler receives after
 * validation (z.output, defaults applied), `…Output` what a caller receives.
 */

export type AggregatesOf<C extends Contract> = C['aggregates'];
export type AggregateNames<C extends Contract> = keyof C['aggregates'] & string;

export type ViewOf<A extends AggregateDefinition> = z.output<A['view']>;
export type IdOf<A extends AggregateDefinition> = z.input<A['id']>;

export type MethodInput<M extends MethodDefinition> =
  M extends FinderDefinition<infer TInput> ? z.input<TInput> & PagingInput : z.input<M['input']>;

export type ParsedMethodInput<M extends MethodDefinition> =
  M extends FinderDefinition<infer TInput>
    ? z.output<TInput> & { cursor?: string; limit: number }
    : z.output<M['input']>;

/** The schema a method's answer is checked against, with the view as default. */
export type OutputSchema<M extends MethodDefinition, TView extends z.ZodType> = M extends FinderDefinition
  ? never
  : M extends
        | CreationDefinition<z.ZodType, infer O>
        | CommandDefinition<z.ZodType, infer O>
        | QueryDefinition<z.ZodType, infer O>
    ? O extends z.ZodType
      ? O
      : TView
    : never;

export type ItemSchema<M extends FinderDefinition, TView extends z.ZodType> =
  M extends FinderDefinition<z.ZodObject, infer I> ? (I extends z.ZodType ? I : TView) : never;

export type MethodOutput<M extends MethodDefinition, TView extends z.ZodType> = M extends FinderDefinition
  ? Page<z.output<ItemSchema<M, TView>>>
  : z.output<OutputSchema<M, TView>>;

type EventsOfAggregates<TAggregates> = {
  [A in keyof TAggregates]: TAggregates[A] extends AggregateDefinition ? TAggregates[A]['events'] : never;
}[keyof TAggregates];

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;

/** Every event of the contract by type, across aggregates. */
export type EventsOf<C extends Contract> = UnionToIntersection<EventsOfAggregates<C['aggregates']>> &
  Record<never, EventDefinition>;
export type EventTypes<C extends Contract> = keyof EventsOf<C> & string;
export type EventPayload<C extends Contract, T extends EventTypes<C>> =
  EventsOf<C>[T] extends EventDefinition<infer P> ? z.output<P> : never;
