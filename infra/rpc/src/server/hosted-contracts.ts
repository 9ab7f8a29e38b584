import type { Contract } from '@strata/shared-kernel';
import type { RpcHandler, RpcResponse } from '../protocol.ts';

/** One contract a data service hosts, with the handler `implementContract` built for it. */
export interface HostedContract {
  readonly contract: Pick<Contract, 'context' | 'aggregates'>;
  readonly handler: RpcHandler;
}

/**
 * One handler for the contracts a data service hosts (commerce-service: catalog and ordering),
 * routing each call by its aggregate, the `Course` of `Course.publish`. Aggregate names are the
 * service's address space, so two hosted contracts may not both name one.
 */
export function hostContracts(hosted: readonly HostedContract[]): RpcHandler {
  if (hosted.length === 1) return hosted[0]!.handler;
  const byAggregate = new Map<string, RpcHandler>();
  for (const { contract, handler } of hosted) {
    for (const aggregate of Object.keys(contract.aggregates)) {
      if (byAggregate.has(aggregate)) {
        throw new Error(
          `two hosted contracts declare the aggregate ${aggregate} (the second is ${contract.context}); one service cannot route both`,
        );
      }
      byAggregate.set(aggregate, handler);
    }
  }
  return (request, signal) => {
    const handler = byAggregate.get(request.method.slice(0, request.method.indexOf('.')));
    return handler
      ? handler(request, signal)
      : Promise.resolve(unknownAggregate(request.method, byAggregate));
  };
}

function unknownAggregate(method: string, byAggregate: Map<string, RpcHandler>): RpcResponse {
  return {
    ok: false,
    error: {
      code: 'UNIMPLEMENTED',
      message: `no hosted contract has a method ${method}`,
      details: { method, aggregates: [...byAggregate.keys()] },
    },
  };
}
