import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from '@strata/shared-kernel';

/** W3C trace context (https://www.w3.org/TR/trace-context/), as headers and RPC metadata carry it. */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

// version-traceId-parentId-flags; version ff is invalid, version 00 has nothing after the flags,
// and all-zero trace and parent ids are invalid (W3C trace context, section 3.2.2).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-[\x21-\x7e]*)?$/;
const traceparentSchema = z.string().max(256).refine(isTraceparent, 'not a W3C traceparent');

function isTraceparent(value: string): boolean {
  const match = TRACEPARENT.exec(value);
  if (match === null) return false;
  const [, version, traceId, parentId, rest] = match;
  return (
    version !== 'ff' &&
    !(version === '00' && rest !== undefined) &&
    !/^0+$/.test(traceId!) &&
    !/^0+$/.test(parentId!)
  );
}
// Printable ASCII only, so a tracestate carried into logs and headers cannot smuggle a line break.
const tracestateSchema = z
  .string()
  .max(512)
  .regex(/^[\x20-\x7e]*$/);

/**
 * The trace context named by incoming `traceparent` and `tracestate` values, or undefined when
 * there is none or it is malformed (the spec says to ignore an invalid traceparent, and its
 * tracestate with it). Several tracestate header lines form one list.
 */
export function parseTraceContext(
  traceparent: string | string[] | undefined,
  tracestate: string | string[] | undefined,
): TraceContext | undefined {
  // Most calls carry none (untraced, or not sampled upstream): answered before zod, whose refusal
  // builds an issue list, which cost an untraced call a few µs on each hop.
  if (traceparent === undefined) return undefined;
  const parent = traceparentSchema.safeParse(traceparent);
  if (!parent.success) return undefined;
  const state = tracestateSchema.safeParse(Array.isArray(tracestate) ? tracestate.join(',') : tracestate);
  return state.success && state.data !== ''
    ? { traceparent: parent.data, tracestate: state.data }
    : { traceparent: parent.data };
}

const ambient = new AsyncLocalStorage<TraceContext>();

/**
 * Runs `work` with `context` as the trace context of every RPC call it makes without naming one:
 * an application service's HTTP layer enters it once per request, so its commands and queries
 * need not thread the context through each call's options.
 */
export function withTraceContext<T>(context: TraceContext, work: () => T): T {
  return ambient.run(context, work);
}

/** The trace context `withTraceContext` entered, if any. */
export function currentTraceContext(): TraceContext | undefined {
  return ambient.getStore();
}
