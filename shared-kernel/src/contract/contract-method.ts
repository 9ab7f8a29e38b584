import { z } from 'zod';
import { IMPLICIT_GET, type AggregateDefinition } from './aggregate.ts';
import type { Contract } from './define-contract.ts';
import { pageOf, pagingInput } from './page.ts';

export type MethodKind = 'creation' | 'command' | 'query' | 'finder' | 'get';

/**
 * One callable method as the wire sees it, the implicit `get` included: what client and server
 * both validate against, so the two can never disagree about a payload.
 *
 * Payloads are `{ input }` for creations and finders, `{ id, input }` for commands and queries,
 * `{ id }` for `get`; error paths therefore read `input.title` or `id`.
 */
export interface ContractMethod {
  readonly aggregate: string;
  readonly name: string;
  /** '<Aggregate>.<method>', the RpcRequest's `method`. */
  readonly path: string;
  readonly kind: MethodKind;
  /** Whether the method addresses one existing aggregate by id (and so may be routed by it). */
  readonly addressed: boolean;
  /** Safe to retry without an idempotency key: queries always, commands when declared so. */
  readonly retrySafe: boolean;
  readonly payload: z.ZodType;
  readonly output: z.ZodType;
}

const cache = new WeakMap<Contract, ReadonlyMap<string, ContractMethod>>();

/** Every method of the contract by path ('Course.publish'), built once per contract. */
export function contractMethods(contract: Contract): ReadonlyMap<string, ContractMethod> {
  let methods = cache.get(contract);
  if (methods === undefined) {
    methods = new Map(
      Object.entries(contract.aggregates).flatMap(([name, definition]) =>
        aggregateMethods(name, definition).map((method) => [method.path, method] as const),
      ),
    );
    cache.set(contract, methods);
  }
  return methods;
}

function aggregateMethods(aggregate: string, definition: AggregateDefinition): ContractMethod[] {
  const method = (
    name: string,
    kind: MethodKind,
    retrySafe: boolean,
    payload: z.ZodType,
    output: z.ZodType,
  ): ContractMethod => ({
    aggregate,
    name,
    path: `${aggregate}.${name}`,
    kind,
    addressed: kind !== 'creation' && kind !== 'finder',
    retrySafe,
    payload,
    output,
  });
  const { id, view } = definition;
  return [
    method(IMPLICIT_GET, 'get', true, z.object({ id }), view),
    ...Object.entries(definition.creations).map(([name, m]) =>
      method(name, 'creation', false, z.object({ input: m.input }), m.output ?? view),
    ),
    ...Object.entries(definition.commands).map(([name, m]) =>
      method(name, 'command', m.idempotent, z.object({ id, input: m.input }), m.output ?? view),
    ),
    ...Object.entries(definition.queries).map(([name, m]) =>
      m.kind === 'finder'
        ? method(
            name,
            'finder',
            true,
            z.object({ input: m.input.extend(pagingInput) }),
            pageOf(m.item ?? view),
          )
        : method(name, 'query', true, z.object({ id, input: m.input }), m.output ?? view),
    ),
  ];
}
