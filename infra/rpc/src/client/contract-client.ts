import {
  contractMethods,
  invalidArgument,
  RpcError,
  type AggregateDefinition,
  type CommandDefinition,
  type Contract,
  type ContractMethod,
  type CreationDefinition,
  type FinderDefinition,
  type IdOf,
  type MethodInput,
  type MethodOutput,
  type QueryDefinition,
  type ViewOf,
} from '@strata/shared-kernel';
import type { CallMetadata, RpcRequest } from '../protocol.ts';
import type { CallOptions } from './call-options.ts';
import type { InvocationKind, Invoke, InvokeOptions } from '../protocol.ts';
import { abandonedCall, DeadlineSignal, outgoingDeadline } from '../deadline/index.ts';
import { tracingIsOn } from '@strata/telemetry';
import { inClientSpan } from '../rpc-spans.ts';
import { refusalOf } from '../validation/precompiled-schema.ts';
import { currentTraceContext } from './trace-context.ts';

/**
 * An input every field of which is optional may be left out: `client.Course.publish(id)`. `{}` on
 * purpose: zod's input type for `z.object({})` accepts only the empty object literal type.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type InputArgs<TInput> = {} extends TInput
  ? [input?: TInput, options?: CallOptions]
  : [input: TInput, options?: CallOptions];

type CreationCall<M extends CreationDefinition, V extends AggregateDefinition['view']> = (
  ...args: InputArgs<MethodInput<M>>
) => Promise<MethodOutput<M, V>>;
type AddressedCall<
  M extends CommandDefinition | QueryDefinition,
  TId,
  V extends AggregateDefinition['view'],
> = (id: TId, ...args: InputArgs<MethodInput<M>>) => Promise<MethodOutput<M, V>>;
type FinderCall<M extends FinderDefinition, V extends AggregateDefinition['view']> = (
  ...args: InputArgs<MethodInput<M>>
) => Promise<MethodOutput<M, V>>;

type MethodCalls<TMethods, TId, V extends AggregateDefinition['view']> = {
  [K in keyof TMethods]: TMethods[K] extends CreationDefinition
    ? CreationCall<TMethods[K], V>
    : TMethods[K] extends FinderDefinition
      ? FinderCall<TMethods[K], V>
      : TMethods[K] extends CommandDefinition | QueryDefinition
        ? AddressedCall<TMethods[K], TId, V>
        : never;
};

export type AggregateClient<D extends AggregateDefinition> = {
  get(id: IdOf<D>, options?: CallOptions): Promise<ViewOf<D>>;
} & MethodCalls<D['creations'], IdOf<D>, D['view']> &
  MethodCalls<D['commands'], IdOf<D>, D['view']> &
  MethodCalls<D['queries'], IdOf<D>, D['view']>;

/** `client.Course.publish(id, input, options)`: every aggregate and method of the contract, typed from it alone. */
export type ContractClient<C extends Contract> = {
  [A in keyof C['aggregates']]: AggregateClient<C['aggregates'][A]>;
};

export interface ContractClientOptions {
  /** The data service that hosts the contract's context, e.g. 'commerce-service'. */
  service: string;
  invoke: Invoke;
  /** Check input against the contract before sending, failing fast with the server's error shape. Defaults to true. */
  validateInput?: boolean;
  /** Applied to calls that bring neither `timeoutMs` nor `deadline`; defaults to the contract's call policy. */
  defaultTimeoutMs?: number;
}

const KIND: Record<ContractMethod['kind'], InvocationKind> = {
  creation: 'create',
  command: 'command',
  query: 'query',
  finder: 'query',
  get: 'query',
};

export function createContractClient<C extends Contract>(
  contract: C,
  options: ContractClientOptions,
): ContractClient<C> {
  const { service, invoke, validateInput = true, defaultTimeoutMs = contract.callPolicy.timeoutMs } = options;
  const byAggregate = new Map<string, Record<string, (...args: unknown[]) => Promise<unknown>>>();
  for (const method of contractMethods(contract).values()) {
    const calls = byAggregate.get(method.aggregate) ?? {};
    calls[method.name] = (...args: unknown[]) => {
      const [payload, callOptions] = payloadOf(method, args);
      return call(method, payload, callOptions ?? {});
    };
    byAggregate.set(method.aggregate, calls);
  }

  async function call(
    method: ContractMethod,
    payload: { id?: unknown; input?: unknown },
    callOptions: CallOptions,
  ): Promise<unknown> {
    if (validateInput) {
      const refusal = refusalOf(method.payload, payload);
      if (refusal !== undefined) throw invalidArgument(refusal, `the payload of ${method.path}`);
    }
    const deadline = deadlineOf(callOptions, defaultTimeoutMs);
    // The deadline travels in the request and every layer below enforces it (the invoker, the
    // connection, the server); a signal is only made to carry the caller's own abort, which
    // then also fires at the deadline. Most calls bring none and so cost no signal and no timer.
    const callSignal =
      callOptions.signal === undefined ? undefined : new DeadlineSignal(deadline, callOptions.signal);
    const request: RpcRequest = {
      service,
      method: method.path,
      payload,
      metadata: metadataOf(callOptions),
      deadline,
    };
    const invokeOptions: InvokeOptions = {
      idempotent:
        method.retrySafe ||
        (callOptions.idempotencyKey !== undefined &&
          (method.kind === 'creation' || method.kind === 'command')),
      kind: KIND[method.kind],
    };
    if (method.addressed) invokeOptions.hashKey = String(payload.id);
    if (callSignal !== undefined) invokeOptions.signal = callSignal.signal;
    let response;
    try {
      response = await (tracingIsOn()
        ? // The call's own span is the parent the server continues from, unless the caller named one.
          inClientSpan(
            service,
            method.path,
            callOptions.traceparent === undefined ? request.metadata : undefined,
            () => invoke(request, invokeOptions),
          )
        : invoke(request, invokeOptions));
    } catch (error) {
      if (error instanceof RpcError) throw error;
      if (callSignal?.signal.aborted) {
        throw abandonedCall(service, method.path, error);
      }
      throw new RpcError(
        'UNAVAILABLE',
        `${service} ${method.path} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    } finally {
      callSignal?.dispose();
    }
    if (!response.ok) throw RpcError.fromSerialized(response.error);
    return response.result;
  }

  return Object.fromEntries(byAggregate) as unknown as ContractClient<C>;
}

function payloadOf(
  method: ContractMethod,
  args: unknown[],
): [{ id?: unknown; input?: unknown }, CallOptions | undefined] {
  switch (method.kind) {
    case 'get':
      return [{ id: args[0] }, args[1] as CallOptions | undefined];
    case 'command':
    case 'query':
      return [{ id: args[0], input: args[1] ?? {} }, args[2] as CallOptions | undefined];
    case 'creation':
    case 'finder':
      return [{ input: args[0] ?? {} }, args[1] as CallOptions | undefined];
  }
}

function deadlineOf(options: CallOptions, defaultTimeoutMs: number | undefined): number | undefined {
  const timeoutMs = options.timeoutMs ?? (options.deadline === undefined ? defaultTimeoutMs : undefined);
  return timeoutMs === undefined ? options.deadline : outgoingDeadline(options.deadline, timeoutMs);
}

/**
 * Only the fields the caller set, so an absent one is not sent as nil. A call that names no trace
 * context carries the ambient one (the HTTP request being served), so events it causes keep the
 * trace even with tracing off; with tracing on, the call's client span replaces it.
 */
function metadataOf(options: CallOptions): CallMetadata {
  const metadata: CallMetadata = {};
  if (options.caller !== undefined) metadata.caller = options.caller;
  if (options.correlationId !== undefined) metadata.correlationId = options.correlationId;
  const trace = options.traceparent === undefined ? currentTraceContext() : options;
  if (trace?.traceparent !== undefined) metadata.traceparent = trace.traceparent;
  if (trace?.tracestate !== undefined) metadata.tracestate = trace.tracestate;
  if (options.idempotencyKey !== undefined) metadata.idempotencyKey = options.idempotencyKey;
  if (options.expectedVersion !== undefined) metadata.expectedVersion = options.expectedVersion;
  return metadata;
}
