import type { RpcHandler, RpcResponse } from '../protocol.ts';

/**
 * Answers only requests addressed to `service`. A request names its target service; an instance of
 * another service must not run a method that happens to share its name, and a caller that reached
 * the wrong instance (a stale registry entry, a port now held by another service, a hand-written
 * client) must be told so, before any method runs. UNIMPLEMENTED, as gRPC answers an unknown service.
 */
export function servingOnly(service: string, handler: RpcHandler): RpcHandler {
  return (request, signal) =>
    request.service === service ? handler(request, signal) : Promise.resolve(wrongService(service, request));
}

function wrongService(served: string, request: { service: string; method: string }): RpcResponse {
  return {
    ok: false,
    error: {
      code: 'UNIMPLEMENTED',
      message: `this instance serves '${served}', not '${request.service}'; ${request.method} was not run`,
      reason: 'wrong-target-service',
      details: { served, requested: request.service },
    },
  };
}
