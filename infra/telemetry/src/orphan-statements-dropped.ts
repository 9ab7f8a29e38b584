import { SpanKind, trace, type Attributes, type Context, type Link } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';

/**
 * Wraps the configured sampler and drops a database statement that belongs to no trace. Strata's
 * processes poll their databases all the time (the outbox relay every 50 ms, job queues, the
 * relay's leader lock, readiness checks): each poll would be a trace of one span, burying the
 * requests people look for and costing an export each. A statement inside traced work (a call's
 * commit, an event's handling) has a parent and is kept as the wrapped sampler decides.
 */
export class OrphanStatementsDropped implements Sampler {
  readonly #sampler: Sampler;

  constructor(sampler: Sampler) {
    this.#sampler = sampler;
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const orphanStatement =
      spanKind === SpanKind.CLIENT &&
      trace.getSpanContext(context) === undefined &&
      (attributes['db.system.name'] !== undefined || attributes['db.system'] !== undefined);
    if (orphanStatement) return { decision: SamplingDecision.NOT_RECORD };
    return this.#sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `OrphanStatementsDropped{${this.#sampler.toString()}}`;
  }
}
