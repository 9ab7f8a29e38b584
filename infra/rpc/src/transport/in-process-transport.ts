import { z } from '@strata/shared-kernel';
import type { RpcHandler, RpcRequest, RpcResponse } from '../protocol.ts';
import { wireClone } from './frame-codec.ts';
import { runHandler, type HandlerRun } from './handler-run.ts';
import type { ConnectionState, RpcConnection } from './rpc-connection.ts';
import { unavailable } from './transport-error.ts';
import { StateListeners } from './state-listeners.ts';
import { parseOptions } from './parse-options.ts';
import { withVerifiedCaller } from './verified-caller.ts';
import { IdTable } from './id-table.ts';

const inProcessOptionsSchema = z.object({
  /**
   * The calling service's name, written into `metadata.caller.service` the way a TLS server writes
   * the certificate's name; without it the field is removed, so a caller can never name itself.
   */
  callerService: z.string().min(1).optional(),
  /** Deadline for requests that carry none. */
  defaultTimeoutMs: z.number().int().positive().default(30_000),
});

export type InProcessOptions = z.input<typeof inProcessOptionsSchema>;

/**
 * The embedded transport: the same handler path and deadline handling as TCP without sockets.
 * Requests and responses are copied through the wire encoding so caller and handler never share
 * an object, and a value that would not survive TCP does not survive here either.
 */
export function connectInProcess(handler: RpcHandler, options: InProcessOptions = {}): RpcConnection {
  const config = parseOptions(inProcessOptionsSchema, options, 'in-process transport options');
  // Not a Set: one added and deleted per call is ADR 0084's costly GC state, as a Map's is.
  const runs = new IdTable<HandlerRun>();
  let nextRun = 0;
  const listeners = new StateListeners();
  let state: ConnectionState = 'open';

  const setState = (next: ConnectionState): void => {
    if (state === next) return;
    state = next;
    listeners.emit(next);
  };

  return {
    get pending() {
      return runs.size;
    },
    enforcesDeadline: true,
    get state() {
      return state;
    },
    onStateChange: (listener) => listeners.add(listener),

    async call(request: RpcRequest, signal?: AbortSignal): Promise<RpcResponse> {
      signal?.throwIfAborted();
      if (state !== 'open')
        return unavailable(`in-process connection to ${request.service} is ${state}`, true);
      const copy = wireClone(request);
      copy.metadata = withVerifiedCaller(copy.metadata, config.callerService);
      const run = runHandler(handler, copy, request.deadline ?? Date.now() + config.defaultTimeoutMs);
      const id = nextRun;
      nextRun = (nextRun + 1) >>> 0;
      runs.set(id, run);
      try {
        return wireClone(await abortable(run, signal));
      } finally {
        runs.delete(id);
        // Once the caller has its answer (or gave up) the handler's work is no longer wanted.
        run.abort(new Error('call settled'));
      }
    },

    async close(graceMs = 5_000) {
      if (state === 'closed') return;
      setState('draining');
      const timeout = AbortSignal.timeout(graceMs);
      await Promise.race([
        Promise.allSettled(runs.values().map((run) => run.response)),
        new Promise((resolve) => timeout.addEventListener('abort', resolve, { once: true })),
      ]);
      for (const run of runs.values()) {
        const reason = `in-process connection closed after a ${graceMs} ms grace period`;
        run.abort(new Error(reason), unavailable(reason, false));
      }
      setState('closed');
    },
  };
}

function abortable(run: HandlerRun, signal: AbortSignal | undefined): Promise<RpcResponse> {
  if (signal === undefined) return run.response;
  return new Promise<RpcResponse>((resolve, reject) => {
    const onAbort = (): void => {
      run.abort(signal.reason);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    run.response.then((response) => {
      signal.removeEventListener('abort', onAbort);
      resolve(response);
    }, reject);
  });
}
