import type { Attributes, Link } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { ProtobufBuffer, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from './protobuf-buffer.ts';

/*
 * Finished spans as an OTLP/protobuf `ExportTraceServiceRequest`, byte for byte what
 * OpenTelemetry's `ProtobufTraceSerializer.serializeRequest` writes for the same spans (the
 * encoder's test holds it to that), in one pass into one reused buffer. OpenTelemetry's writes
 * every request twice (a size-estimating pass, then the bytes), allocates a writer, its buffer, a
 * TextEncoder and a DataView per request and three Uint8Arrays per span for the ids; in a
 * profile of bench:rpc's every-call-traced row that was 4–5 µs per span in each process, the
 * largest single part of what a sampled call costs (ADR 0055, second addendum).
 *
 * The field numbers and the order of the fields are OTLP's (opentelemetry/proto/trace/v1/trace.proto);
 * spans are grouped by resource, then by instrumentation scope, in the order they first appear.
 */

const SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE = 0x100;
const SPAN_FLAGS_CONTEXT_IS_REMOTE = 0x200;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

const writer = new ProtobufBuffer();

/**
 * The spans as one `ExportTraceServiceRequest`. The bytes are a view of the encoder's own buffer,
 * good until the next call: the caller copies them where they wait (ScopeSpansFraming).
 */
export function encodeSpans(spans: readonly ReadableSpan[]): Uint8Array {
  writer.pos = 0;
  for (const [resource, scopes] of grouped(spans)) {
    writer.tag(1, WIRE_LENGTH);
    const resourceSpans = writer.start();
    writeResource(resource);
    for (const scopeSpans of scopes.values()) writeScopeSpans(scopeSpans);
    if (resource.schemaUrl) {
      writer.tag(3, WIRE_LENGTH);
      writer.string(resource.schemaUrl);
    }
    writer.end(resourceSpans);
  }
  return writer.buffer.subarray(0, writer.pos);
}

function grouped(spans: readonly ReadableSpan[]): Map<Resource, Map<unknown, ReadableSpan[]>> {
  const resources = new Map<Resource, Map<unknown, ReadableSpan[]>>();
  for (const span of spans) {
    let scopes = resources.get(span.resource);
    if (scopes === undefined) resources.set(span.resource, (scopes = new Map()));
    let scopeSpans = scopes.get(span.instrumentationScope);
    if (scopeSpans === undefined) scopes.set(span.instrumentationScope, (scopeSpans = []));
    scopeSpans.push(span);
  }
  return resources;
}

function writeResource(resource: Resource): void {
  writer.tag(1, WIRE_LENGTH);
  const at = writer.start();
  writeAttributes(resource.attributes, 1);
  writer.tag(2, WIRE_VARINT);
  writer.varint(0);
  writer.end(at);
}

function writeScopeSpans(spans: readonly ReadableSpan[]): void {
  const scope = spans[0]!.instrumentationScope;
  writer.tag(2, WIRE_LENGTH);
  const at = writer.start();
  writer.tag(1, WIRE_LENGTH);
  const scopeAt = writer.start();
  writer.tag(1, WIRE_LENGTH);
  writer.string(scope.name);
  if (scope.version) {
    writer.tag(2, WIRE_LENGTH);
    writer.string(scope.version);
  }
  writer.end(scopeAt);
  for (const span of spans) writeSpan(span);
  if (scope.schemaUrl) {
    writer.tag(3, WIRE_LENGTH);
    writer.string(scope.schemaUrl);
  }
  writer.end(at);
}

function writeSpan(span: ReadableSpan): void {
  writer.tag(2, WIRE_LENGTH);
  const at = writer.start();
  const ids = span.spanContext();
  writer.tag(1, WIRE_LENGTH);
  writer.hex(ids.traceId);
  writer.tag(2, WIRE_LENGTH);
  writer.hex(ids.spanId);
  const traceState = ids.traceState?.serialize();
  if (traceState) {
    writer.tag(3, WIRE_LENGTH);
    writer.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    writer.tag(4, WIRE_LENGTH);
    writer.hex(parent.spanId);
  }
  writer.tag(5, WIRE_LENGTH);
  writer.string(span.name);
  // OTLP's SpanKind counts from UNSPECIFIED = 0; the API's from INTERNAL = 0.
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
  const linked = link.context;
  writer.tag(1, WIRE_LENGTH);
  writer.hex(linked.traceId);
  writer.tag(2, WIRE_LENGTH);
  writer.hex(linked.spanId);
  const traceState = linked.traceState?.serialize();
  if (traceState) {
    writer.tag(3, WIRE_LENGTH);
    writer.string(traceState);
  }
  if (link.attributes) writeAttributes(link.attributes, 4);
  writer.tag(5, WIRE_VARINT);
  writer.varint(link.droppedAttributesCount || 0);
  writer.tag(6, WIRE_FIXED32);
  writer.fixed32(flagsOf(linked.traceFlags, linked.isRemote));
  writer.end(at);
}

function flagsOf(traceFlags: number, isRemote: boolean | undefined): number {
  return (
    (traceFlags & 0xff) | SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE | (isRemote ? SPAN_FLAGS_CONTEXT_IS_REMOTE : 0)
  );
}

function writeAttributes(attributes: Attributes | undefined, field: number): void {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    writer.tag(field, WIRE_LENGTH);
    writeKeyValue(key, attributes[key]);
  }
}

function writeKeyValue(key: string, value: unknown): void {
  const at = writer.start();
  writer.tag(1, WIRE_LENGTH);
  writer.string(key);
  writer.tag(2, WIRE_LENGTH);
  const valueAt = writer.start();
  writeAnyValue(value);
  writer.end(valueAt);
  writer.end(at);
}

/** An attribute's value as OTLP's AnyValue; what is none of its kinds is written empty, as OpenTelemetry does. */
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
  } else if (value instanceof Uint8Array) {
    writer.tag(7, WIRE_LENGTH);
    writer.bytes(value);
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
  } else if (typeof value === 'object' && value !== null) {
    writer.tag(6, WIRE_LENGTH);
    const at = writer.start();
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      writer.tag(1, WIRE_LENGTH);
      writeKeyValue(key, (value as Record<string, unknown>)[key]);
    }
    writer.end(at);
  }
}
