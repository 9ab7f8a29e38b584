import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventCause } from '@strata/events';
import { parseTraceContext, type RpcHandler } from '@strata/rpc';
import { newId } from '@strata/shared-kernel';

/**
 * Carries the served call's correlation id and trace context down to the outbox, so the events a
 * call causes can be followed back to it. The contract runtime does not hand its call context to
 * the unit of work, so the handler is wrapped and the unit of work reads the cause from here.
 */
export class CallCause {
  private readonly storage = new AsyncLocalStorage<EventCause>();

  around(handler: RpcHandler): RpcHandler {
    return (request, signal) => {
      // Metadata comes from any client that can reach the port: only a well-formed W3C context
      // is stamped on the events.
      const trace = parseTraceContext(request.metadata.traceparent, request.metadata.tracestate);
      return this.storage.run(
        {
          correlationId: request.metadata.correlationId || newId(),
          traceparent: trace?.traceparent ?? null,
          tracestate: trace?.tracestate ?? null,
        },
        () => handler(request, signal),
      );
    };
  }

  /** The cause of the call being served; a fresh correlation for work outside any call. */
  readonly current = (): EventCause => this.storage.getStore() ?? { correlationId: newId() };
}
