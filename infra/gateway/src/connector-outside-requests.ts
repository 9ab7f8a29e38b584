import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Runs a function in a frame of no request's async context, taken when the module loads, before
 * any request. The gateway's upstream client (upstream-dispatcher.ts, ADR 0072) opens its sockets
 * in it. A kept-alive socket serves many requests, and a socket's callbacks run in the context it
 * was opened in: opened inside a sampled request's span (the gateway runs its pipeline in that
 * context, ADR 0041), every later request on it would read the response with that old span active
 * (bench:gateway counted one unsampled request in ten so), and a span or log line added on that
 * path would join the wrong trace.
 */
export const outsideAnyRequest = AsyncLocalStorage.snapshot();
