import {
  contractMethods,
  invalidArgument,
  RpcError,
  toRpcError,
  type AggregateDefinition,
  type AggregateRoot,
  type Clock,
  type Contract,
  type ContractMethod,
} from '@strata/shared-kernel';
import type { CallMetadata, RpcHandler, RpcRequest, RpcResponse } from '../protocol.ts';
import { callSignal } from '../deadline-signal.ts';
import type { CallContext } from './call-context.ts';
import type { AggregateImplementation } from './contract-implementation.ts';
import type { RuntimeLogger } from './runtime-logger.ts';
import type { IdempotencyScope, UnitOfWork, UnitOfWorkScope } from './unit-of-work.ts';

export interface ContractRuntimeOptions {
  unitOfWork: UnitOfWork;
  clock: Clock;
  logger: RuntimeLogger;
}

/** One implementation per aggregate of the contract; the aggregate's class is inferred per key. */
export type ContractImplementation<
  C extends Contract,
  R extends { [K in keyof C['aggregates']]: AggregateRoot },
> = {
  [K in keyof R]: K extends keyof C['aggregates'] ? AggregateImplementation<C['aggregates'][K], R[K]> : never;
};

// The handlers as the runtime calls them, once the types above have done their work.
type AnyFunction = (...args: never[]) => unknown;
interface LooseImplementation {
  aggregateType: string;
  toView(aggregate: AggregateRoot): unknown;
  creations?: Record<string, AnyFunction | { create: AnyFunction; respond: AnyFunction }>;
  commands?: Record<string, AnyFunction>;
  queries?: Record<string, AnyFunction>;
}
type Payload = { id?: string; input?: unknown };

/**
 * Serves a contract: the one way a data service exposes its aggregates. For each call it finds
 * the declared method, validates the payload before the domain sees it, loads the aggregate,
 * calls the implementation, checks the events it recorded against the contract, saves through
 * the unit of work, validates the answer, and maps every failure to a typed error.
 */
export function implementContract<
  C extends Contract,
  R extends { [K in keyof C['aggregates']]: AggregateRoot },
>(contract: C, implementation: ContractImplementation<C, R>, options: ContractRuntimeOptions): RpcHandler {
  const implementations = implementation as unknown as Record<string, LooseImplementation>;
  checkComplete(contract, implementations);
  const methods = contractMethods(contract);
  const { unitOfWork, clock, logger } = options;

  return async function serve(request: RpcRequest, signal: AbortSignal): Promise<RpcResponse> {
    const method = methods.get(request.method);
    try {
      if (method === undefined) {
        throw new RpcError(
          'UNIMPLEMENTED',
          `the ${contract.context} contract has no method ${request.method}`,
          {
            details: { method: request.method, known: [...methods.keys()] },
          },
        );
      }
      // Held to the request's own deadline whoever calls the runtime; a transport's signal armed
      // for that deadline is reused rather than doubled.
      const deadline = callSignal(request.deadline, signal);
      try {
        const runSignal = deadline.signal;
        abortedAsDeadline(runSignal, request);
        const parsed = method.payload.safeParse(request.payload);
        if (!parsed.success) throw invalidArgument(parsed.error, `the payload of ${request.method}`);
        const context: CallContext = {
          method: method.path,
          caller: request.metadata.caller ?? {},
          correlationId: request.metadata.correlationId,
          traceparent: request.metadata.traceparent,
          clock,
          signal: runSignal,
        };
        const call = new Call(
          contract,
          method,
          implementations[method.aggregate]!,
          parsed.data as Payload,
          context,
          logger,
          request.metadata.expectedVersion,
        );
        const work = unitOfWork.run((scope) => call.execute(scope), idempotencyOf(method, request.metadata));
        return { ok: true, result: await untilAborted(work, runSignal, request) };
      } finally {
        deadline.dispose();
      }
    } catch (error) {
      const typed = toRpcError(error);
      if (typed.code === 'INTERNAL') {
        logger.error(
          {
            err: typed.cause ?? typed,
            method: request.method,
            service: request.service,
            correlationId: request.metadata.correlationId,
          },
          `${contract.context} ${request.method} failed with an internal error; the caller saw only INTERNAL`,
        );
      }
      return { ok: false, error: typed.toJSON() };
    }
  };
}

/** One call's work inside the unit of work's transaction. */
class Call {
  private readonly contract: Contract;
  private readonly method: ContractMethod;
  private readonly implementation: LooseImplementation;
  private readonly payload: Payload;
  private readonly context: CallContext;
  private readonly logger: RuntimeLogger;
  private readonly expectedVersion: number | undefined;

  constructor(
    contract: Contract,
    method: ContractMethod,
    implementation: LooseImplementation,
    payload: Payload,
    context: CallContext,
    logger: RuntimeLogger,
    expectedVersion: number | undefined,
  ) {
    this.contract = contract;
    this.method = method;
    this.implementation = implementation;
    this.payload = payload;
    this.context = context;
    this.logger = logger;
    this.expectedVersion = expectedVersion;
  }

  async execute(scope: UnitOfWorkScope): Promise<unknown> {
    const { method, implementation, payload, context } = this;
    const definition = this.contract.aggregates[method.aggregate]!;
    const handler = (section: 'creations' | 'commands' | 'queries') => implementation[section]![method.name]!;
    let answer: unknown;
    switch (method.kind) {
      case 'get':
        answer = implementation.toView(await this.load(scope));
        break;
      case 'creation': {
        const creation = handler('creations');
        const factory = typeof creation === 'function' ? creation : creation.create;
        const created = (await (factory as (input: unknown, context: CallContext) => unknown)(
          payload.input,
          context,
        )) as AggregateRoot;
        this.checkEvents(definition, created);
        scope.repository(implementation.aggregateType).add(created);
        answer =
          typeof creation === 'function'
            ? implementation.toView(asCommitted(created))
            : creation.respond(created as never);
        break;
      }
      case 'command': {
        const aggregate = await this.load(scope);
        this.checkExpectedVersion(aggregate);
        const returned = await (
          handler('commands') as (a: AggregateRoot, input: unknown, context: CallContext) => unknown
        )(aggregate, payload.input, context);
        this.checkEvents(definition, aggregate);
        answer =
          definition.commands[method.name]!.output === undefined
            ? implementation.toView(asCommitted(aggregate))
            : returned;
        break;
      }
      case 'query': {
        const aggregate = await this.load(scope);
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
    const output = this.checkOutput(answer);
    // Past this point the unit of work commits; a caller who stopped waiting must not get a change it was told failed.
    abortedAsDeadline(context.signal, { method: method.path });
    return output;
  }

  private async load(scope: UnitOfWorkScope): Promise<AggregateRoot> {
    const id = this.payload.id!;
    const aggregate = await scope.repository(this.implementation.aggregateType).findById(id);
    if (aggregate === null) {
      throw new RpcError('NOT_FOUND', `${this.method.aggregate} ${id} does not exist`, {
        reason: 'aggregate-not-found',
        details: { aggregate: this.method.aggregate, id },
      });
    }
    return aggregate;
  }

  /** The caller's If-Match: refused before the domain runs, so a stale editor changes nothing. */
  private checkExpectedVersion(aggregate: AggregateRoot): void {
    const expected = this.expectedVersion;
    if (expected === undefined || aggregate.version === expected) return;
    throw new RpcError(
      'CONFLICT',
      `${this.method.aggregate} ${aggregate.id} is at version ${aggregate.version}, not the version ${expected} the caller last saw; read it again and reapply the change`,
      {
        reason: 'aggregate-version-mismatch',
        details: {
          aggregate: this.method.aggregate,
          id: aggregate.id,
          expectedVersion: expected,
          currentVersion: aggregate.version,
        },
      },
    );
  }

  /** Events become the published language the moment they commit; one the contract does not declare is a bug, caught before it ships. */
  private checkEvents(definition: AggregateDefinition, aggregate: AggregateRoot): void {
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
        this.logger.error(
          { method: this.method.path, eventType: event.type, aggregateId: event.aggregateId, ...problem },
          `${this.method.path} recorded event ${event.type} that the ${this.contract.context} contract does not allow (${problem.reason}); nothing was saved`,
        );
        throw new RpcError('INTERNAL', 'internal error; the server logged the cause');
      }
    }
  }

  private checkOutput(answer: unknown): unknown {
    const parsed = this.method.output.safeParse(answer);
    if (!parsed.success) {
      this.logger.error(
        { method: this.method.path, issues: parsed.error.issues },
        `${this.method.path} produced an answer that breaks the ${this.contract.context} contract (check toView or the handler's return); nothing was saved`,
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

function checkComplete(contract: Contract, implementations: Record<string, LooseImplementation>): void {
  const problems: string[] = [];
  for (const [aggregate, definition] of Object.entries(contract.aggregates)) {
    const implementation = implementations[aggregate];
    if (implementation === undefined) {
      problems.push(`aggregate ${aggregate} has no implementation`);
      continue;
    }
    if (typeof implementation.aggregateType !== 'string' || typeof implementation.toView !== 'function') {
      problems.push(`${aggregate} needs an aggregateType and a toView function`);
    }
    for (const section of ['creations', 'commands', 'queries'] as const) {
      const declared = Object.keys(definition[section]);
      const given = Object.keys(implementation[section] ?? {});
      for (const name of declared.filter((name) => !given.includes(name)))
        problems.push(`${aggregate}.${name} has no handler`);
      for (const name of given.filter((name) => !declared.includes(name))) {
        problems.push(
          `${aggregate}.${name} is not declared in ${section} of the contract; only declared aggregate methods can be served`,
        );
      }
    }
  }
  for (const aggregate of Object.keys(implementations).filter((name) => !(name in contract.aggregates))) {
    problems.push(`${aggregate} is not an aggregate of the contract`);
  }
  if (problems.length > 0) {
    throw new TypeError(
      `the implementation of the ${contract.context} contract is incomplete: ${problems.join('; ')}`,
    );
  }
}

/** Creations and non-idempotent commands answer a repeated key with the first result. */
function idempotencyOf(
  method: ContractMethod,
  metadata: CallMetadata,
): { idempotency?: IdempotencyScope } | undefined {
  if (metadata.idempotencyKey === undefined || method.retrySafe) return undefined;
  const { caller } = metadata;
  const who = caller?.service ?? (caller?.userId === undefined ? 'anonymous' : `user:${caller.userId}`);
  return { idempotency: { caller: who, key: metadata.idempotencyKey, method: method.path } };
}

function deadlineExceeded(method: string): RpcError {
  return new RpcError(
    'DEADLINE_EXCEEDED',
    `${method} was abandoned: its deadline passed or its caller went away`,
  );
}

function abortedAsDeadline(signal: AbortSignal, request: { method: string }): void {
  if (signal.aborted) throw deadlineExceeded(request.method);
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal, request: RpcRequest): Promise<T> {
  // The work may still settle after the caller is answered; its outcome is already decided by then.
  work.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(deadlineExceeded(request.method));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
