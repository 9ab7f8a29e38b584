import type {
  AggregateDefinition,
  AggregateRoot,
  CommandDefinition,
  CreationDefinition,
  FinderDefinition,
  ItemSchema,
  OutputSchema,
  Page,
  ParsedMethodInput,
  QueryDefinition,
  z,
} from '@strata/shared-kernel';
import type { CallContext } from './call-context.ts';
import type { UnitOfWorkScope } from './unit-of-work.ts';

/*
 * What a data service writes to serve a contract: per aggregate, the repository's type name, the
 * mapping to the view, and one handler per declared method. Handlers receive the loaded
 * aggregate (creations make one); there is deliberately no slot for a free function.
 */

type Awaitable<T> = T | Promise<T>;

/**
 * What a creation may answer instead of a new aggregate: one that already exists (placing an order
 * again answers the order still awaiting payment). An aggregate loaded here is answered as it is
 * stored and never added; it is NOT_FOUND when there is none.
 */
export interface ExistingAggregates<A extends AggregateRoot> {
  load(id: string): Promise<A>;
}

/** Whether a creation made its aggregate or answered one loaded through `ExistingAggregates`. */
export type CreationOutcome = 'created' | 'existing';

/** A creation answering the view returns the new aggregate; one with its own output also says how to answer. */
export type CreationHandler<
  M extends CreationDefinition,
  A extends AggregateRoot,
> = M['output'] extends z.ZodType
  ? {
      create(
        input: ParsedMethodInput<M>,
        context: CallContext,
        existing: ExistingAggregates<A>,
      ): Awaitable<A>;
      /** Receives the aggregate as it commits, like `toView`. */
      respond(aggregate: A, outcome: CreationOutcome): z.input<M['output']>;
    }
  : (input: ParsedMethodInput<M>, context: CallContext, existing: ExistingAggregates<A>) => Awaitable<A>;

/** Calls the domain method. A command answering the view returns nothing; one with its own output returns it. */
export type CommandHandler<M extends CommandDefinition, A extends AggregateRoot> = (
  aggregate: A,
  input: ParsedMethodInput<M>,
  context: CallContext,
) => Awaitable<M['output'] extends z.ZodType ? z.input<M['output']> : void>;

export type QueryHandler<M extends QueryDefinition, A extends AggregateRoot, TView extends z.ZodType> = (
  aggregate: A,
  input: ParsedMethodInput<M>,
  context: CallContext,
) => Awaitable<z.input<OutputSchema<M, TView>>>;

/** Finders search across aggregates, so they get the unit of work's scope (and its session) instead of one aggregate. */
export type FinderHandler<M extends FinderDefinition, TView extends z.ZodType> = (
  input: ParsedMethodInput<M>,
  scope: UnitOfWorkScope,
  context: CallContext,
) => Awaitable<Page<z.input<ItemSchema<M, TView>>>>;

type Handlers<TMethods, A extends AggregateRoot, TView extends z.ZodType> = {
  [K in keyof TMethods]: TMethods[K] extends CreationDefinition
    ? CreationHandler<TMethods[K], A>
    : TMethods[K] extends CommandDefinition
      ? CommandHandler<TMethods[K], A>
      : TMethods[K] extends FinderDefinition
        ? FinderHandler<TMethods[K], TView>
        : TMethods[K] extends QueryDefinition
          ? QueryHandler<TMethods[K], A, TView>
          : never;
};

/** A section the contract leaves empty may be left out. */
type Section<K extends string, TMethods, A extends AggregateRoot, TView extends z.ZodType> = [
  keyof TMethods,
] extends [never]
  ? { [P in K]?: Record<string, never> }
  : { [P in K]: Handlers<TMethods, A, TView> };

export type AggregateImplementation<D extends AggregateDefinition, A extends AggregateRoot> = {
  /** The name the unit of work's repositories know the aggregate by, e.g. 'Course'. */
  aggregateType: string;
  /** After a change, receives the aggregate as it commits: `version` is already the new one. */
  toView: (aggregate: A) => z.input<D['view']>;
} & Section<'creations', D['creations'], A, D['view']> &
  Section<'commands', D['commands'], A, D['view']> &
  Section<'queries', D['queries'], A, D['view']>;
