import {
  contractMethods,
  invalidArgument,
  RpcError,
  toRpcError,
  type AggregateRoot,
  type Clock,
  type Contract,
  type ContractMethod,
} from '@strata/shared-kernel';
import type { CallMetadata, RpcHandler, RpcRequest, RpcResponse } from '../protocol.ts';
import { abandonedCall, callSignal } from '../deadline/index.ts';
import type { CallContext } from './call-context.ts';
import { ContractCall, type LooseImplementation, type Payload } from './contract-call.ts';
import { checkComplete } from './implementation-completeness.ts';
import { safeParsePrecompiled } from '../validation/precompiled-schema.ts';
import type { AggregateImplementation } from './contract-implementation.ts';
import type { RuntimeLogger } from './runtime-logger.ts';
import type { IdempotencyScope, UnitOfWork } from './unit-of-work.ts';

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
        if (runSignal.aborted) throw abandonedCall(request.service, request.method);
        const parsed = safeParsePrecompiled(method.payload, request.payload);
        if (!parsed.success) throw invalidArgument(parsed.error, `the payload of ${request.method}`);
        const context: CallContext = {
          method: method.path,
          caller: request.metadata.caller ?? {},
          correlationId: request.metadata.correlationId,
          traceparent: request.metadata.traceparent,
          clock,
          signal: runSignal,
        };
        const call = new ContractCall(
          contract,
          method,
          implementations[method.aggregate]!,
          parsed.data as Payload,
          context,
          logger,
          request,
        );
        const work = unitOfWork.run((scope) => call.execute(scope), {
          ...idempotencyOf(method, request.metadata),
          readOnly: method.kind === 'get' || method.kind === 'query' || method.kind === 'finder',
        });
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

function untilAborted<T>(work: Promise<T>, signal: AbortSignal, request: RpcRequest): Promise<T> {
  // The work may still settle after the caller is answered; its outcome is already decided by then.
  // One promise and one listener per call: the work's own handlers take the listener off, so no
  // catch or finally chain is built around it.
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abandonedCall(request.service, request.method));
    if (signal.aborted) {
      work.catch(() => {});
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
