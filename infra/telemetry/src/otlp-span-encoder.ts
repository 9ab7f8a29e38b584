import type { Attributes, Link, SpanContext } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { ProtobufBuffer, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from './protobuf-buffer.ts';

/*
 * Finished spans as an OTLP/protobuf `ExportTraceServiceRequest`, byte for byte what
 * OpenTelemetry's `ProtobufTraceSerializer.serializeRequest` writes for the same spans (the
 * encoder's test holds it to that), in one pass into one reused buffer (ADR 0079).
 * OpenTelemetry's serializer writes every request twice (a size-estimating pass, then the bytes),
 * allocates a writer, its buffer, a TextEncoder and a DataView per request and a Uint8Array per
 * id, and encodes the process's resource and the scope again in every request; at one in ten the
 * encoding groups hold a few spans, so that fixed part is most of its ~5-6 µs per sampled span.
 * Here the resource and each scope are encoded once and their bytes copied.
 *
 * Only the shapes the platform's spans have are written here: one resource whose attributes are
 * settled, attribute values that are strings, numbers, booleans or arrays of them. Anything else
 * (several resources in a group, a resource still detecting, byte or map values, a kind outside
 * the API's) is left to OpenTelemetry's serializer, for the whole group.
 */

const SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE = 0x100;
const SPAN_FLAGS_CONTEXT_IS_REMOTE = 0x200;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/** What a scope object may carry beyond the API's name, version and schema URL. */
interface Scope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
  readonly attributes?: Attributes;
  readonly droppedAttributesCount?: number;
}

/** Thrown inside an encoding when a value is none of the shapes written here: the group falls back. */
class UnknownShape extends Error {}

const writer = new ProtobufBuffer();
/** The process's resource encoded (field 1 of ResourceSpans, tag included), for the last resource seen. */
let resourceOf: Resource | undefined;
let resourceBytes = Buffer.alloc(0);
/** Each scope's InstrumentationScope field, tag included: scopes are a tracer's, few and long-lived. */
const scopeBytes = new WeakMap<object, Buffer>();

/**
 * The spans as one `ExportTraceServiceRequest` (undefined only when OpenTelemetry's serializer, its
 * fallback, writes none). The bytes are a view of the encoder's own buffer
 * when it wrote them, good until the next call: the caller copies them where they wait
 * (ScopeSpansFraming).
 */
export function encodeSpans(spans: readonly ReadableSpan[]): Uint8Array | undefined {
  const resource = spans[0]?.resource;
  if (resource === undefined || resource.asyncAttributesPending) return fallback(spans);
  let sameScope = true;
  for (const span of spans) {
    if (span.resource !== resource) return fallback(spans);
    if (span.instrumentationScope !== spans[0]!.instrumentationScope) sameScope = false;
  }
  try {
    writer.pos = 0;
    writer.tag(1, WIRE_LENGTH);
    const resourceSpans = writer.start();
    writer.raw(encodedResource(resource));
    if (sameScope) writeScopeSpans(spans[0]!.instrumentationScope, spans);
    else for (const [scope, ofScope] of byScope(spans)) writeScopeSpans(scope, ofScope);
    if (resource.schemaUrl) {
      writer.tag(3, WIRE_LENGTH);
      writer.string(resource.schemaUrl);
    }
    writer.end(resourceSpans);
    return writer.buffer.subarray(0, writer.pos);
  } catch (error) {
    if (error instanceof UnknownShape) return fallback(spans);
    throw error;
  }
}

/** OpenTelemetry's serializer, for a group the encoder does not write; undefined when it writes nothing. */
function fallback(spans: readonly ReadableSpan[]): Uint8Array | undefined {
  return ProtobufTraceSerializer.serializeRequest(spans as ReadableSpan[]);
}

/** Spans by scope, in the order each scope first appears, as OpenTelemetry groups them. */
function byScope(spans: readonly ReadableSpan[]): Map<Scope, ReadableSpan[]> {
  const grouped = new Map<Scope, ReadableSpan[]>();
  for (const span of spans) {
    const ofScope = grouped.get(span.instrumentationScope);
    if (ofScope === undefined) grouped.set(span.instrumentationScope, [span]);
    else ofScope.push(span);
  }
  return grouped;
}

function encodedResource(resource: Resource): Buffer {
  if (resource === resourceOf) return resourceBytes;
  const at = writer.pos;
  writer.tag(1, WIRE_LENGTH);
  const body = writer.start();
  writeAttributes(resource.attributes, 1);
  writer.tag(2, WIRE_VARINT);
  writer.varint(0);
  writer.end(body);
  resourceBytes = Buffer.from(writer.buffer.subarray(at, writer.pos));
  resourceOf = resource;
  writer.pos = at;
  return resourceBytes;
}

function encodedScope(scope: Scope): Buffer {
  const known = scopeBytes.get(scope);
  if (known !== undefined) return known;
  const at = writer.pos;
  writer.tag(1, WIRE_LENGTH);
  const body = writer.start();
  writer.tag(1, WIRE_LENGTH);
  writer.string(scope.name);
  if (scope.version) {
    writer.tag(2, WIRE_LENGTH);
    writer.string(scope.version);
  }
  if (scope.attributes) writeAttributes(scope.attributes, 3);
  if (scope.droppedAttributesCount) {
    writer.tag(4, WIRE_VARINT);
    writer.varint(scope.droppedAttributesCount);
  }
  writer.end(body);
  const bytes = Buffer.from(writer.buffer.subarray(at, writer.pos));
  scopeBytes.set(scope, bytes);
  writer.pos = at;
  return bytes;
}

function writeScopeSpans(scope: Scope, spans: readonly ReadableSpan[]): void {
  writer.tag(2, WIRE_LENGTH);
  const at = writer.start();
  writer.raw(encodedScope(scope));
  for (const span of spans) writeSpan(span);
  if (scope.schemaUrl) {
    writer.tag(3, WIRE_LENGTH);
    writer.string(scope.schemaUrl);
  }
  writer.end(at);
}

function writeSpan(span: ReadableSpan): void {
  // OTLP's SpanKind counts from UNSPECIFIED = 0; the API's from INTERNAL = 0.
  if (!(span.kind >= 0 && span.kind <= 4)) throw new UnknownShape();
  writer.tag(2, WIRE_LENGTH);
  const at = writer.start();
  const ids = span.spanContext();
  writeContext(ids);
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    writer.tag(4, WIRE_LENGTH);
    writer.hex(parent.spanId);
  }
  writer.tag(5, WIRE_LENGTH);
  writer.string(span.name);
  writer.tag(6, WIRE_VARINT);
  writer.varint(span.kind + 1);
  writer.tag(7, WIRE_FIXED64);
  writer.time(span.startTime);
  writer.tag(8, WIRE_FIXED64);
  writer.time(span.endTime);
  writeAttributes(span.attributes, 9);
  writer.tag(10, WIRE_VARINT);
  writer.varint(span.droppedAttributesCount);
  for (const event of span.events) writeEvent(event);
  writer.tag(12, WIRE_VARINT);
  writer.varint(span.droppedEventsCount);
  for (const link of span.links) writeLink(link);
  writer.tag(14, WIRE_VARINT);
  writer.varint(span.droppedLinksCount);
  writer.tag(15, WIRE_LENGTH);
  const status = writer.start();
  if (span.status.message) {
    writer.tag(2, WIRE_LENGTH);
    writer.string(span.status.message);
  }
  writer.tag(3, WIRE_VARINT);
  writer.varint(span.status.code);
  writer.end(status);
  writer.tag(16, WIRE_FIXED32);
  writer.fixed32(flagsOf(ids.traceFlags, parent?.isRemote));
  writer.end(at);
}

/** A Span's and a Link's first three fields alike: trace_id, span_id, trace_state. */
function writeContext(context: SpanContext): void {
  writer.tag(1, WIRE_LENGTH);
  writer.hex(context.traceId);
  writer.tag(2, WIRE_LENGTH);
  writer.hex(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    writer.tag(3, WIRE_LENGTH);
    writer.string(traceState);
  }
}

function writeEvent(event: TimedEvent): void {
  writer.tag(11, WIRE_LENGTH);
  const at = writer.start();
  writer.tag(1, WIRE_FIXED64);
  writer.time(event.time);
  writer.tag(2, WIRE_LENGTH);
  writer.string(event.name);
  if (event.attributes) writeAttributes(event.attributes, 3);
  writer.tag(4, WIRE_VARINT);
  writer.varint(event.droppedAttributesCount || 0);
  writer.end(at);
}

function writeLink(link: Link): void {
  writer.tag(13, WIRE_LENGTH);
  const at = writer.start();
  writeContext(link.context);
  if (link.attributes) writeAttributes(link.attributes, 4);
  writer.tag(5, WIRE_VARINT);
  writer.varint(link.droppedAttributesCount || 0);
  writer.tag(6, WIRE_FIXED32);
  writer.fixed32(flagsOf(link.context.traceFlags, link.context.isRemote));
  writer.end(at);
}

function flagsOf(traceFlags: number, isRemote: boolean | undefined): number {
  return (
    (traceFlags & 0xff) | SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE | (isRemote ? SPAN_FLAGS_CONTEXT_IS_REMOTE : 0)
  );
}

function writeAttributes(attributes: Attributes, field: number): void {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    writer.tag(field, WIRE_LENGTH);
    const at = writer.start();
    writer.tag(1, WIRE_LENGTH);
    writer.string(key);
    writer.tag(2, WIRE_LENGTH);
    const valueAt = writer.start();
    writeAnyValue(attributes[key]);
    writer.end(valueAt);
    writer.end(at);
  }
}

/** An attribute's value as OTLP's AnyValue; null and undefined are written empty, as OpenTelemetry does. */
function writeAnyValue(value: unknown): void {
  if (typeof value === 'string') {
    writer.tag(1, WIRE_LENGTH);
    writer.string(value);
  } else if (typeof value === 'boolean') {
    writer.tag(2, WIRE_VARINT);
    writer.varint(value ? 1 : 0);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
      writer.tag(3, WIRE_VARINT);
      writer.varint(value);
    } else {
      writer.tag(4, WIRE_FIXED64);
      writer.double(value);
    }
  } else if (Array.isArray(value)) {
    writer.tag(5, WIRE_LENGTH);
    const at = writer.start();
    for (const item of value) {
      writer.tag(1, WIRE_LENGTH);
      const itemAt = writer.start();
      writeAnyValue(item);
      writer.end(itemAt);
    }
    writer.end(at);
  } else if (value !== null && value !== undefined) {
    throw new UnknownShape();
  }
}
