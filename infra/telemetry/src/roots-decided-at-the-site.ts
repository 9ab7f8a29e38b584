import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';
import { isRootSampledAtItsSite } from './root-decision.ts';

const SAMPLED: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });

/**
 * Wraps the configured sampler and samples a root span whose site already decided to sample its
 * trace (root-decision.ts, ADR 0077), so the trace is not decided twice; every other span is the
 * wrapped sampler's to decide.
 */
export class RootsDecidedAtTheSite implements Sampler {
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
    if (isRootSampledAtItsSite(context)) return SAMPLED;
    return this.#sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `RootsDecidedAtTheSite{${this.#sampler.toString()}}`;
  }
}
