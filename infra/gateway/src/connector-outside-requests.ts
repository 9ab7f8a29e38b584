import { AsyncLocalStorage } from 'node:async_hooks';
import { buildConnector } from 'undici';

// Taken when the module loads, before any request: a frame of no request's async context. The
// gateway's own upstream client opens its sockets in it (upstream-dispatcher.ts, ADR 0072).
export const outsideAnyRequest = AsyncLocalStorage.snapshot();

/**
 * undici's own connector (the one a Pool builds when given none), opening each upstream socket
 * outside the async context of the request that needed it. A kept-alive socket serves many
 * requests, and a socket's callbacks run in the context it was opened in: opened inside a sampled
 * request's span (the gateway runs its pipeline in that context, ADR 0041), every later request on
 * it would read the response with that old span active (bench:gateway counted one unsampled
 * request in ten so), and a span or log line added on that path would join the wrong trace.
 */
export function connectorOutsideRequests(): buildConnector.connector {
  const connect = buildConnector({});
  return (options, callback) => outsideAnyRequest(() => connect(options, callback));
}
