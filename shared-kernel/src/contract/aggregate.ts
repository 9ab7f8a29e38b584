import type { z } from 'zod';
import type { EventDefinition } from './event.ts';
import type { CommandDefinition, CreationDefinition, FinderDefinition, QueryDefinition } from './methods.ts';

/** Every aggregate answers `get` by id; a declared method may not take the name. */
export const IMPLICIT_GET = 'get';

export interface AggregateDefinition<
  TId extends z.ZodType = z.ZodType,
  TView extends z.ZodObject = z.ZodObject,
  TCreations extends Record<string, CreationDefinition> = Record<string, CreationDefinition>,
  TCommands extends Record<string, CommandDefinition> = Record<string, CommandDefinition>,
  TQueries extends Record<string, QueryDefinition | FinderDefinition> = Record<
    string,
    QueryDefinition | FinderDefinition
  >,
  TEvents extends Record<string, EventDefinition> = Record<string, EventDefinition>,
> {
  readonly kind: 'aggregate';
  readonly id: TId;
  readonly view: TView;
  readonly creations: TCreations;
  readonly commands: TCommands;
  readonly queries: TQueries;
  readonly events: TEvents;
}

type Overlap<A, B> = Extract<keyof A, keyof B>;
type DuplicateMethodNames<TCreations, TCommands, TQueries> =
  | Overlap<TCreations, TCommands>
  | Overlap<TCreations, TQueries>
  | Overlap<TCommands, TQueries>
  | Extract<keyof TCreations | keyof TCommands | keyof TQueries, typeof IMPLICIT_GET>;

export interface AggregateSpec {
  id: z.ZodType;
  view: z.ZodObject;
  creations?: Record<string, CreationDefinition>;
  commands?: Record<string, CommandDefinition>;
  queries?: Record<string, QueryDefinition | FinderDefinition>;
  events?: Record<string, EventDefinition>;
}

// An omitted section reads as empty. Taken from the one inferred spec rather than from
// defaulted type parameters, which the contextual type of a contract literal would override.
type Section<S, K extends keyof AggregateSpec> = S extends { [P in K]: infer T } ? T : Record<never, never>;

/** Turns a duplicate method name into a compile error that names it. */
type UniqueMethodNames<S> = [
  DuplicateMethodNames<Section<S, 'creations'>, Section<S, 'commands'>, Section<S, 'queries'>>,
] extends [never]
  ? unknown
  : {
      'method names must be unique per aggregate, and get is implicit': DuplicateMethodNames<
        Section<S, 'creations'>,
        Section<S, 'commands'>,
        Section<S, 'queries'>
      >;
    };

export type AggregateOf<S extends AggregateSpec> = AggregateDefinition<
  S['id'],
  S['view'],
  Extract<Section<S, 'creations'>, Record<string, CreationDefinition>>,
  Extract<Section<S, 'commands'>, Record<string, CommandDefinition>>,
  Extract<Section<S, 'queries'>, Record<string, QueryDefinition | FinderDefinition>>,
  Extract<Section<S, 'events'>, Record<string, EventDefinition>>
>;

export function aggregate<S extends AggregateSpec>(spec: S & UniqueMethodNames<S>): AggregateOf<S> {
  const definition = {
    kind: 'aggregate' as const,
    id: spec.id,
    view: spec.view,
    creations: spec.creations ?? {},
    commands: spec.commands ?? {},
    queries: spec.queries ?? {},
    events: spec.events ?? {},
  };
  // The type above already refuses duplicates; this catches contracts built from widened types.
  const seen = new Set<string>([IMPLICIT_GET]);
  for (const name of [
    ...Object.keys(definition.creations),
    ...Object.keys(definition.commands),
    ...Object.keys(definition.queries),
  ]) {
    if (seen.has(name)) {
      throw new TypeError(
        name === IMPLICIT_GET
          ? `method "get" is implicit on every aggregate (a read by id); name the declared one differently`
          : `method "${name}" is declared twice; method names must be unique across an aggregate's creations, commands and queries`,
      );
    }
    seen.add(name);
  }
  return definition as AggregateOf<S>;
}
