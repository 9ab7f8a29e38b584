import { trace, type Attributes } from '@opentelemetry/api';
import type { EventCause } from '@strata/events';
import { inSpan, traceCarrierOf } from '@strata/telemetry';
import type { AggregateRoot } from '@strata/shared-kernel';
import { databaseNameFor } from './database-config.ts';
import type { Database } from './open-database.ts';

const tracer = trace.getTracer('@strata/persistence');

/**
 * The unit of work's transaction as one span (its SQL, from the mysql2 instrumentation, nested in
 * it). It is the events' creation context: `commit` is handed the cause with this span's trace
 * context, so each outbox row's envelope names it, and the relay's publish and every consumer's
 * handling link back to it (docs/adr/0025-tracing.md). Only called with tracing on.
 */
export function inCommitSpan<T>(
  database: Database,
  aggregates: readonly AggregateRoot[],
  cause: EventCause,
  commit: (cause: EventCause) => Promise<T>,
): Promise<T> {
  const attributes: Attributes = {
    'db.system.name': database.config.kind === 'mysql' ? 'mariadb' : 'sqlite',
    'db.operation.name': 'COMMIT',
    'db.namespace': databaseNameFor(database.config.service),
    'strata.aggregates': aggregates.map((aggregate) => `${aggregate.aggregateType}:${aggregate.id}`),
    'strata.events': aggregates.reduce((count, aggregate) => count + aggregate.pendingEvents.length, 0),
  };
  return inSpan(tracer, 'unit-of-work commit', { attributes }, () =>
    commit({ ...cause, ...creationContext() }),
  );
}

/** The active span (the commit's) as the envelope's trace fields; a tracestate only with its traceparent. */
function creationContext(): Pick<EventCause, 'traceparent' | 'tracestate'> {
  const carrier = traceCarrierOf();
  return { traceparent: carrier.traceparent ?? null, tracestate: carrier.tracestate ?? null };
}
