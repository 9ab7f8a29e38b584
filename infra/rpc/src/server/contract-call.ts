import {
  RpcError,
  type AggregateDefinition,
  type AggregateRoot,
  type Contract,
  type ContractMethod,
} from '@strata/shared-kernel';
import { abandonedCall } from '../deadline/index.ts';
import { safeParsePrecompiled } from '../validation/precompiled-schema.ts';
import type { RpcRequest } from '../protocol.ts';
import type { CallContext } from './call-context.ts';
import type { CreationOutcome, ExistingAggregates } from './contract-implementation.ts';
import type { RuntimeLogger } from './runtime-logger.ts';
import type { UnitOfWorkScope } from './unit-of-work.ts';

// The handlers as the runtime calls them, once the contract's types have done their work.
type AnyFunction = (...args: never[]) => unknown;
export interface LooseImplementation {
  aggregateType: string;
  toView(aggregate: AggregateRoot): unknown;
  creations?: Record<string, AnyFunction | { create: AnyFunction; respond: AnyFunction }>;
  commands?: Record<string, AnyFunction>;
  queries?: Record<string, AnyFunction>;
}
export type Payload = { id?: string; input?: unknown };

/** One call's work inside the unit of work's transaction. */
export class ContractCall {
  readonly #contract: Contract;
  readonly #method: ContractMethod;
  readonly #implementation: LooseImplementation;
  readonly #payload: Payload;
  readonly #context: CallContext;
  readonly #logger: RuntimeLogger;
  /** The served request: its service names an abandoned call, its metadata the caller's If-Match. */
  readonly #request: RpcRequest;

  constructor(
    contract: Contract,
    method: ContractMethod,
    implementation: LooseImplementation,
    payload: Payload,
    context: CallContext,
    logger: RuntimeLogger,
    request: RpcRequest,
  ) {
    this.#contract = contract;
    this.#method = method;
    this.#implementation = implementation;
    this.#payload = payload;
    this.#context = context;
    this.#logger = logger;
    this.#request = request;
  }

  async execute(scope: UnitOfWorkScope): Promise<unknown> {
    const method = this.#method;
    const implementation = this.#implementation;
    const payload = this.#payload;
    const context = this.#context;
    const definition = this.#contract.aggregates[method.aggregate]!;
    const handler = (section: 'creations' | 'commands' | 'queries') => implementation[section]![method.name]!;
    let answer: unknown;
    switch (method.kind) {
      case 'get':
        answer = implementation.toView(await this.#load(scope));
        break;
      case 'creation': {
        const creation = handler('creations');
        const factory = typeof creation === 'function' ? creation : creation.create;
        const loaded = new Set<AggregateRoot>();
        const existing: ExistingAggregates<AggregateRoot> = {
          load: async (id) => {
            const aggregate = await this.#load(scope, id);
            loaded.add(aggregate);
            return aggregate;
          },
        };
        const created = (await (
          factory as (
            input: unknown,
            context: CallContext,
            existing: ExistingAggregates<AggregateRoot>,
          ) => unknown
        )(payload.input, context, existing)) as AggregateRoot;
        this.#checkEvents(definition, created);
        // An aggregate the creation found already stored is answered, not inserted a second time.
        const outcome: CreationOutcome = loaded.has(created) ? 'existing' : 'created';
        if (outcome === 'created') scope.repository(implementation.aggregateType).add(created);
        // Either way the answer describes the aggregate as committed (its version is the caller's next If-Match).
        answer =
          typeof creation === 'function'
            ? implementation.toView(asCommitted(created))
            : creation.respond(asCommitted(created) as never, outcome as never);
        break;
      }
      case 'command': {
        const aggregate = await this.#load(scope);
        this.#checkExpectedVersion(aggregate);
        const returned = await (
          handler('commands') as (a: AggregateRoot, input: unknown, context: CallContext) => unknown
        )(aggregate, payload.input, context);
        this.#checkEvents(definition, aggregate);
        answer =
          definition.commands[method.name]!.output === undefined
            ? implementation.toView(asCommitted(aggregate))
            : returned;
        break;
      }
      case 'query': {
        const aggregate = await this.#load(scope);
        answer = await (
          handler('queries') as (a: AggregateRoot, input: unknown, context: CallContext) => unknown
        )(aggregate, payload.input, context);
        break;
      }
      case 'finder':
        answer = await (
          handler('queries') as (input: unknown, scope: UnitOfWorkScope, context: CallContext) => unknown
        )(payload.input, scope, context);
        break;
    }
    const output = this.#checkOutput(answer);
    // Past this point the unit of work commits; a caller who stopped waiting must not get a change it was told failed.
    if (context.signal.aborted) throw abandonedCall(this.#request.service, method.path);
    return output;
  }

  async #load(scope: UnitOfWorkScope, id: string = this.#payload.id!): Promise<AggregateRoot> {
    const aggregate = await scope.repository(this.#implementation.aggregateType).findById(id);
    if (aggregate === null) {
      throw new RpcError('NOT_FOUND', `${this.#method.aggregate} ${id} does not exist`, {
        reason: 'aggregate-not-found',
        details: { aggregate: this.#method.aggregate, id },
      });
    }
    return aggregate;
  }

  /** The caller's If-Match: refused before the domain runs, so a stale editor changes nothing. */
  #checkExpectedVersion(aggregate: AggregateRoot): void {
    const expected = this.#request.metadata.expectedVersion;
    if (expected === undefined || aggregate.version === expected) return;
    throw new RpcError(
      'CONFLICT',
      `${this.#method.aggregate} ${aggregate.id} is at version ${aggregate.version}, not the version ${expected} the caller last saw; read it again and reapply the change`,
      {
        reason: 'aggregate-version-mismatch',
        details: {
          aggregate: this.#method.aggregate,
          id: aggregate.id,
          expectedVersion: expected,
          currentVersion: aggregate.version,
        },
      },
    );
  }

  /** Events become the published language the moment they commit; one the contract does not declare is a bug, caught before it ships. */
  #checkEvents(definition: AggregateDefinition, aggregate: AggregateRoot): void {
    for (const event of aggregate.pendingEvents) {
      const declared = definition.events[event.type];
      const problem =
        declared === undefined
          ? { reason: 'event-not-in-contract' }
          : (() => {
              const parsed = declared.payload.safeParse(event.payload);
              return parsed.success
                ? undefined
                : { reason: 'event-payload-breaks-contract', issues: parsed.error.issues };
            })();
      if (problem !== undefined) {
        this.#logger.error(
          { method: this.#method.path, eventType: event.type, aggregateId: event.aggregateId, ...problem },
          `${this.#method.path} recorded event ${event.type} that the ${this.#contract.context} contract does not allow (${problem.reason}); nothing was saved`,
        );
        throw new RpcError('INTERNAL', 'internal error; the server logged the cause');
      }
    }
  }

  #checkOutput(answer: unknown): unknown {
    const parsed = safeParsePrecompiled(this.#method.output, answer);
    if (!parsed.success) {
      this.#logger.error(
        { method: this.#method.path, issues: parsed.error.issues },
        `${this.#method.path} produced an answer that breaks the ${this.#contract.context} contract (check toView or the handler's return); nothing was saved`,
      );
      throw new RpcError('INTERNAL', 'internal error; the server logged the cause');
    }
    return parsed.data;
  }
}

/**
 * The answer is built inside the transaction, before the commit advances the version, yet it must
 * describe the aggregate as committed (a view's version feeds the caller's next If-Match). An
 * aggregate with pending events commits as the version its last event names; a read-through
 * stand-in carries it, so the aggregate itself stays as the unit of work expects.
 */
function asCommitted(aggregate: AggregateRoot): AggregateRoot {
  const last = aggregate.pendingEvents.at(-1);
  if (last === undefined) return aggregate;
  const version = last.aggregateVersion;
  // A proxy rather than a prototype child: getters must run on the aggregate itself to read its `#` fields.
  return new Proxy(aggregate, {
    get: (target, property) => {
      if (property === 'version') return version;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
