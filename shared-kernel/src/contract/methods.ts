import type { z } from 'zod';

/**
 * The four kinds of method a contract may declare on an aggregate root. Each is a plain
 * description (schemas and flags); `aggregate()` resolves the default outputs against the view.
 */

export interface CreationDefinition<
  TInput extends z.ZodType = z.ZodType,
  TOutput extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly kind: 'creation';
  readonly input: TInput;
  /** What the creation answers; absent means the new aggregate's view. */
  readonly output: TOutput;
}

export interface CommandDefinition<
  TInput extends z.ZodType = z.ZodType,
  TOutput extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly kind: 'command';
  readonly input: TInput;
  /** What the command answers; absent means the aggregate's view after the change. */
  readonly output: TOutput;
  /**
   * True when applying the command twice has the effect of applying it once (`publish`), so
   * governance may retry it freely; false ones (`addLesson`) are retried only with an idempotency key.
   */
  readonly idempotent: boolean;
}

/** A read of one aggregate, addressed by id, beyond the implicit `get`. */
export interface QueryDefinition<
  TInput extends z.ZodType = z.ZodType,
  TOutput extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly kind: 'query';
  readonly input: TInput;
  readonly output: TOutput;
}

/** A paged search across aggregates: `cursor` and `limit` join the input, a `Page` of items comes out. */
export interface FinderDefinition<
  TInput extends z.ZodObject = z.ZodObject,
  TItem extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly kind: 'finder';
  readonly input: TInput;
  /** The schema of one page item; absent means the aggregate's view. */
  readonly item: TItem;
}

export type MethodDefinition = CreationDefinition | CommandDefinition | QueryDefinition | FinderDefinition;

// Overloads rather than a defaulted type parameter: inside a contract literal the default would
// lose to the contextual type, and an omitted `output` would no longer read as "the view".
export function creation<TInput extends z.ZodType, TOutput extends z.ZodType>(spec: {
  input: TInput;
  output: TOutput;
}): CreationDefinition<TInput, TOutput>;
export function creation<TInput extends z.ZodType>(spec: {
  input: TInput;
}): CreationDefinition<TInput, undefined>;
export function creation(spec: { input: z.ZodType; output?: z.ZodType }): CreationDefinition {
  return { kind: 'creation', input: spec.input, output: spec.output };
}

export function command<TInput extends z.ZodType, TOutput extends z.ZodType>(spec: {
  input: TInput;
  output: TOutput;
  idempotent: boolean;
}): CommandDefinition<TInput, TOutput>;
export function command<TInput extends z.ZodType>(spec: {
  input: TInput;
  idempotent: boolean;
}): CommandDefinition<TInput, undefined>;
export function command(spec: {
  input: z.ZodType;
  output?: z.ZodType;
  idempotent: boolean;
}): CommandDefinition {
  return { kind: 'command', input: spec.input, output: spec.output, idempotent: spec.idempotent };
}

export function query<TInput extends z.ZodType, TOutput extends z.ZodType>(spec: {
  input: TInput;
  output: TOutput;
}): QueryDefinition<TInput, TOutput>;
export function query<TInput extends z.ZodType>(spec: { input: TInput }): QueryDefinition<TInput, undefined>;
export function query(spec: { input: z.ZodType; output?: z.ZodType }): QueryDefinition {
  return { kind: 'query', input: spec.input, output: spec.output };
}

export function finder<TInput extends z.ZodObject, TItem extends z.ZodType>(spec: {
  input: TInput;
  item: TItem;
}): FinderDefinition<TInput, TItem>;
export function finder<TInput extends z.ZodObject>(spec: {
  input: TInput;
}): FinderDefinition<TInput, undefined>;
export function finder(spec: { input: z.ZodObject; item?: z.ZodType }): FinderDefinition {
  return { kind: 'finder', input: spec.input, item: spec.item };
}
