import type { RpcHandler } from '../protocol.ts';
import type { Invoke } from '../protocol.ts';

/**
 * Wires a client straight to a server handler in the same process. Request and answer are
 * structured-cloned so neither side can mutate the other's objects, as over a wire; the real
 * in-process transport (infra/rpc/src/transport) adds the rest of a transport's duties.
 */
export function inProcessInvoke(handler: RpcHandler): Invoke {
  return async (request, { signal }) => {
    const response = await handler(structuredClone(request), signal ?? new AbortController().signal);
    return structuredClone(response);
  };
}
