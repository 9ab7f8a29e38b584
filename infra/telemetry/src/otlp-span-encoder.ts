import type { Attributes, Link, SpanContext } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import {
  ProtobufBuffer,
  readVarint,
  varintLength,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_LENGTH,
  WIRE_VARINT,
} from './protobuf-buffer.ts';

/*
 * Ended spans in OTLP/protobuf, byte for byte what OpenTelemetry's
 * `ProtobufTraceSerializer.serializeRequest` writes for the same spans (the encoder's tests hold it
 * to that), in one pass into reused buffers (ADR 0079). OpenTelemetry's serializer writes every
 * request twice (a size-estimating pass, then the bytes), allocates a writer, its buffer, a
 * TextEncoder and a DataView per request and a Uint8Array per id, and encodes the process's
 * resource and the scope again in every request. Here a span is written as its ScopeSpans `Span`
 * field the moment it ends (span-batch.ts frames a batch of them, ADR 0086), and the resource and
 * each scope are encoded once and their bytes copied into each request.
 *
 * Only the shapes the platform's spans have are written here: attribute values that are strings,
 * numbers, booleans or arrays of them, the API's kinds. A span holding anything else (byte or map
 * values) is written by OpenTelemetry's serializer and its `Span` field taken from that.
 */

const SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE = 0x100;
const SPAN_FLAGS_CONTEXT_IS_REMOTE = 0x200;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/** What a scope object may carry beyond the API's name, version and schema URL. */
export interface Scope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
  readonly attributes?: Attributes;
  readonly droppedAttributesCount?: number;
}

/** Thrown inside an encoding when a value is none of the shapes written here: the span falls back. */
class UnknownShape extends Error {}

/** Where the resource's and the scopes' bytes are written before they are kept. */
const scratch = new ProtobufBuffer(4 * 1024);
/** The process's resource encoded (field 1 of ResourceSpans, tag included), for the last resource seen. */
let resourceOf: Resource | undefined;
let resourceBytes = Buffer.alloc(0);
/** Each scope's InstrumentationScope field, tag included: scopes are a tracer's, few and long-lived. */
const scopeBytes = new WeakMap<object, Buffer>();

/**
 * One ended span as a ScopeSpans' `Span` field (tag and length included), appended to `writer`.
 * A span holding a shape not written here (a value of bytes or a map, a kind outside the API's)
 * is written by OpenTelemetry's serializer, and its `Span` field taken from that request.
 */
export function writeEndedSpan(writer: ProtobufBuffer, span: ReadableSpan): void {
  const at = writer.pos;
  try {
    writeSpan(writer, span);
  } catch (error) {
    if (!(error instanceof UnknownShape)) throw error;
    writer.pos = at;
    writer.raw(spanFieldOf(ProtobufTraceSerializer.serializeRequest([span as ReadableSpan])!));
  }
}

/** The one `Span` field of a request of one span: resource_spans(1) → scope_spans(2) → spans(2). */
function spanFieldOf(request: Uint8Array): Uint8Array {
  const resourceSpans = fieldOf(request, 0, request.length, 1);
  const scopeSpans = fieldOf(request, resourceSpans.start, resourceSpans.end, 2);
  const span = fieldOf(request, scopeSpans.start, scopeSpans.end, 2);
  return request.subarray(span.at, span.end);
}

/** The first length-delimited field numbered `number` between `from` and `to`: where its tag, value and end are. */
function fieldOf(
  bytes: Uint8Array,
  from: number,
  to: number,
  number: number,
): { at: number; start: number; end: number } {
  for (let at = from; at < to;) {
    const tag = readVarint(bytes, at);
    const afterTag = at + varintLength(tag);
    const wire = tag & 7;
    let end: number;
    let start = afterTag;
    if (wire === WIRE_LENGTH) {
      const length = readVarint(bytes, afterTag);
      start = afterTag + varintLength(length);
      end = start + length;
    } else if (wire === WIRE_VARINT) {
      end = afterTag + varintLength(readVarint(bytes, afterTag));
    } else if (wire === WIRE_FIXED64) end = afterTag + 8;
    else if (wire === WIRE_FIXED32) end = afterTag + 4;
    else throw new Error(`unexpected protobuf wire type ${wire} at byte ${at}`);
    if (tag >>> 3 === number && wire === WIRE_LENGTH) return { at, start, end };
    at = end;
  }
  throw new Error(`no protobuf field ${number} between bytes ${from} and ${to}`);
}

/**
 * The resource's field of ResourceSpans (tag included). Kept for the last resource seen, unless
 * its asynchronous attributes are still pending: then written from what it has so far, as
 * OpenTelemetry's serializer writes it, and written again the next time.
 */
export function encodedResource(resource: Resource): Buffer {
  if (resource === resourceOf) return resourceBytes;
  scratch.pos = 0;
  scratch.tag(1, WIRE_LENGTH);
  const body = scratch.start();
  writeAttributes(scratch, resource.attributes, 1);
  scratch.tag(2, WIRE_VARINT);
  scratch.varint(0);
  scratch.end(body);
  const bytes = Buffer.from(scratch.buffer.subarray(0, scratch.pos));
  if (resource.asyncAttributesPending) return bytes;
  resourceBytes = bytes;
  resourceOf = resource;
  return bytes;
}

/** The scope's field of ScopeSpans (tag included), kept per scope. */
export function encodedScope(scope: Scope): Buffer {
  const known = scopeBytes.get(scope);
  if (known !== undefined) return known;
  scratch.pos = 0;
  scratch.tag(1, WIRE_LENGTH);
  const body = scratch.start();
  scratch.tag(1, WIRE_LENGTH);
  scratch.string(scope.name);
  if (scope.version) {
    scratch.tag(2, WIRE_LENGTH);
    scratch.string(scope.version);
  }
  if (scope.attributes) writeAttributes(scratch, scope.attributes, 3);
  if (scope.droppedAttributesCount) {
    scratch.tag(4, WIRE_VARINT);
    scratch.varint(scope.droppedAttributesCount);
  }
  scratch.end(body);
  const bytes = Buffer.from(scratch.buffer.subarray(0, scratch.pos));
  scopeBytes.set(scope, bytes);
  return bytes;
}

function writeSpan(writer: ProtobufBuffer, span: ReadableSpan): void {
  // OTLP's SpanKind counts from UNSPECIFIED = 0; the API's from INTERNAL = 0.
  if (!(span.kind >= 0 && span.kind <= 4)) throw new UnknownShape();
  writer.tag(2, WIRE_LENGTH);
  const at = writer.start();
  const ids = span.spanContext();
  writeContext(writer, ids);
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
  writeAttributes(writer, span.attributes, 9);
  writer.tag(10, WIRE_VARINT);
  writer.varint(span.droppedAttributesCount);
  for (const event of span.events) writeEvent(writer, event);
  writer.tag(12, WIRE_VARINT);
  writer.varint(span.droppedEventsCount);
  for (const link of span.links) writeLink(writer, link);
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
function writeContext(writer: ProtobufBuffer, context: SpanContext): void {
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

function writeEvent(writer: ProtobufBuffer, event: TimedEvent): void {
  writer.tag(11, WIRE_LENGTH);
  const at = writer.start();
  writer.tag(1, WIRE_FIXED64);
  writer.time(event.time);
  writer.tag(2, WIRE_LENGTH);
  writer.string(event.name);
  if (event.attributes) writeAttributes(writer, event.attributes, 3);
  writer.tag(4, WIRE_VARINT);
  writer.varint(event.droppedAttributesCount || 0);
  writer.end(at);
}

function writeLink(writer: ProtobufBuffer, link: Link): void {
  writer.tag(13, WIRE_LENGTH);
  const at = writer.start();
  writeContext(writer, link.context);
  if (link.attributes) writeAttributes(writer, link.attributes, 4);
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

function writeAttributes(writer: ProtobufBuffer, attributes: Attributes, field: number): void {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    writer.tag(field, WIRE_LENGTH);
    const at = writer.start();
    writer.tag(1, WIRE_LENGTH);
    writer.string(key);
    writer.tag(2, WIRE_LENGTH);
    const valueAt = writer.start();
    writeAnyValue(writer, attributes[key]);
    writer.end(valueAt);
    writer.end(at);
  }
}

/** An attribute's value as OTLP's AnyValue; null and undefined are written empty, as OpenTelemetry does. */
function writeAnyValue(writer: ProtobufBuffer, value: unknown): void {
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
      writeAnyValue(writer, item);
      writer.end(itemAt);
    }
    writer.end(at);
  } else if (value !== null && value !== undefined) {
    throw new UnknownShape();
  }
}
