import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { encodedResource, encodedScope, writeEndedSpan, type Scope } from './otlp-span-encoder.ts';
import { ProtobufBuffer, varintLength, writeVarint } from './protobuf-buffer.ts';

/** What `SpanBatch.add` did with a span. */
export const ADDED = 0;
/** The span's encoding is larger than the room it was given: not kept. */
export const NO_ROOM = 1;
/** The span is another resource's than the batch's (another TracerProvider): not kept. */
export const OTHER_RESOURCE = 2;

/**
 * The spans of one OTLP/protobuf `ExportTraceServiceRequest` in the making (ADR 0086): each span
 * is encoded as it is added (the moment it ends), into a buffer of its scope's that is kept from
 * batch to batch, and nothing of the span object is kept. `take` frames them: the resource's bytes
 * and each scope's, encoded once a process (otlp-span-encoder.ts), around its spans' bytes, the
 * scopes in the order their first span was added. That is the order and grouping OpenTelemetry's
 * `ProtobufTraceSerializer` gives the same spans, so the request is byte for byte its own.
 */
export class SpanBatch {
  #resource: Resource | undefined;
  /** Each scope's spans of this batch as consecutive ScopeSpans `Span` fields. */
  readonly #spansOf = new WeakMap<Scope, ProtobufBuffer>();
  /** The scopes holding spans, in the order their first span was added. */
  readonly #scopes: Scope[] = [];
  /** The last span's scope and its buffer: a process's spans are mostly of one scope (its RPC spans). */
  #lastScope: Scope | undefined;
  #lastWriter: ProtobufBuffer | undefined;
  #spans = 0;
  #bytes = 0;

  /** Spans held. */
  get spans(): number {
    return this.#spans;
  }

  /** The spans' encoded bytes (the request's framing, resource and scopes not counted). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Encodes `span` into the batch, unless it takes more than `room` bytes or is another resource's. */
  add(span: ReadableSpan, room = Infinity): typeof ADDED | typeof NO_ROOM | typeof OTHER_RESOURCE {
    if (this.#resource === undefined) this.#resource = span.resource;
    else if (span.resource !== this.#resource) return OTHER_RESOURCE;
    const scope = span.instrumentationScope;
    let writer = scope === this.#lastScope ? this.#lastWriter! : this.#spansOf.get(scope);
    if (writer === undefined) this.#spansOf.set(scope, (writer = new ProtobufBuffer(16 * 1024)));
    this.#lastScope = scope;
    this.#lastWriter = writer;
    const at = writer.pos;
    writeEndedSpan(writer, span);
    const length = writer.pos - at;
    if (length > room) {
      writer.pos = at;
      if (this.#spans === 0) this.#resource = undefined;
      return NO_ROOM;
    }
    if (at === 0) this.#scopes.push(scope);
    this.#spans += 1;
    this.#bytes += length;
    return ADDED;
  }

  /** The spans held as one request (a buffer of its own), and the batch emptied; undefined when none is held. */
  take(): { request: Buffer; spans: number } | undefined {
    const resource = this.#resource;
    if (this.#spans === 0 || resource === undefined) return undefined;
    const resourceBytes = encodedResource(resource);
    let body = resourceBytes.length + stringFieldLength(resource.schemaUrl);
    for (const scope of this.#scopes) {
      const inner = scopeSpansLength(scope, this.#spansOf.get(scope)!);
      body += 1 + varintLength(inner) + inner;
    }
    const request = Buffer.allocUnsafe(1 + varintLength(body) + body);
    // ExportTraceServiceRequest { ResourceSpans resource_spans = 1 }
    request[0] = (1 << 3) | 2;
    let at = writeVarint(request, 1, body);
    at += resourceBytes.copy(request, at);
    for (const scope of this.#scopes) {
      const spans = this.#spansOf.get(scope)!;
      // ResourceSpans { ScopeSpans scope_spans = 2 } { InstrumentationScope scope = 1; Span spans = 2; string schema_url = 3 }
      request[at++] = (2 << 3) | 2;
      at = writeVarint(request, at, scopeSpansLength(scope, spans));
      at += encodedScope(scope).copy(request, at);
      at += spans.buffer.copy(request, at, 0, spans.pos);
      at = writeStringField(request, at, 3, scope.schemaUrl);
      spans.pos = 0;
    }
    // ResourceSpans { string schema_url = 3 }
    writeStringField(request, at, 3, resource.schemaUrl);
    const spans = this.#spans;
    this.#scopes.length = 0;
    this.#spans = 0;
    this.#bytes = 0;
    this.#resource = undefined;
    return { request, spans };
  }
}

function scopeSpansLength(scope: Scope, spans: ProtobufBuffer): number {
  return encodedScope(scope).length + spans.pos + stringFieldLength(scope.schemaUrl);
}

/** Bytes a string field takes with its tag (a field number below 16); none when it is empty or absent. */
function stringFieldLength(value: string | undefined): number {
  if (!value) return 0;
  const length = Buffer.byteLength(value, 'utf8');
  return 1 + varintLength(length) + length;
}

function writeStringField(bytes: Buffer, at: number, field: number, value: string | undefined): number {
  if (!value) return at;
  bytes[at++] = (field << 3) | 2;
  at = writeVarint(bytes, at, Buffer.byteLength(value, 'utf8'));
  return at + bytes.write(value, at, 'utf8');
}

const oneRequest = new SpanBatch();

/**
 * `spans` as one `ExportTraceServiceRequest`, as a `SpanBatch` of them sends it: what the encoder's
 * tests compare with OpenTelemetry's serializer, and bench/rpc/span-encoding.ts times. Spans of
 * several resources, which one process's spans never are, go to OpenTelemetry's serializer.
 */
export function encodeSpans(spans: readonly ReadableSpan[]): Uint8Array | undefined {
  for (const span of spans) {
    if (oneRequest.add(span) === OTHER_RESOURCE) {
      oneRequest.take();
      return ProtobufTraceSerializer.serializeRequest(spans as ReadableSpan[]);
    }
  }
  return oneRequest.take()?.request ?? ProtobufTraceSerializer.serializeRequest([]);
}
