import { diag } from '@opentelemetry/api';
import { varintLength, writeVarint } from './protobuf-buffer.ts';

/**
 * OTLP/protobuf requests of a few spans each, merged into one request. Each request is
 * `ExportTraceServiceRequest { ResourceSpans resource_spans = 1 }` with one ResourceSpans
 * `{ Resource resource = 1; ScopeSpans scope_spans = 2; string schema_url = 3 }`. The resource is
 * the process's, the same for every span, so it is kept once (from the first request); each
 * request's ScopeSpans (a scope and its spans) are copied, wire bytes as they are, into one
 * reused buffer. The merged request is one ResourceSpans holding every ScopeSpans in the order the
 * spans ended: protobuf's repeated fields allow it, and collectors take it as they take any other.
 */
export class ScopeSpansFraming {
  readonly #buffer: Buffer;
  #used = 0;
  #spans = 0;
  #resource: Buffer | undefined;

  constructor(capacity: number) {
    // Outside V8's heap: what waits here is never visited by the garbage collector.
    this.#buffer = Buffer.allocUnsafeSlow(capacity);
  }

  /** Spans held. */
  get spans(): number {
    return this.#spans;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#used;
  }

  /** Whether `request`'s span fits beside those held (an empty buffer takes any span that fits at all). */
  fits(request: Uint8Array): boolean {
    return this.#used === 0 || this.#used + request.length <= this.#buffer.length;
  }

  /** Keeps the `spans` spans of `request`, a request of one process's spans. */
  add(request: Uint8Array, spans: number): void {
    const resourceSpans = lengthDelimited(request, 0, 1);
    if (resourceSpans.end !== request.length)
      throw new Error("an OTLP request of one process's spans holds exactly one ResourceSpans");
    const resource: Uint8Array[] = [];
    let scopes = 0;
    for (let at = resourceSpans.start; at < resourceSpans.end;) {
      const field = lengthDelimited(request, at);
      if (field.number === 2) {
        const length = field.end - at;
        if (this.#used + length > this.#buffer.length) {
          // Only a group larger than a whole batch gets here; what was copied of it stays, counted
          // as one span a scope, since its ScopeSpans are not read further.
          diag.warn(`spans of ${length} bytes were dropped: larger than a whole batch`);
          this.#spans += scopes;
          return;
        }
        this.#buffer.set(request.subarray(at, field.end), this.#used);
        this.#used += length;
        scopes += 1;
      } else if (this.#resource === undefined) {
        resource.push(request.subarray(at, field.end));
      }
      at = field.end;
    }
    this.#spans += spans;
    this.#resource ??= Buffer.concat(resource);
  }

  /** The spans held as one request, and the buffer emptied; undefined when none is held. */
  take(): { request: Uint8Array; spans: number } | undefined {
    if (this.#spans === 0) return undefined;
    const resource = this.#resource ?? Buffer.alloc(0);
    const bodyLength = resource.length + this.#used;
    const request = Buffer.allocUnsafe(1 + varintLength(bodyLength) + bodyLength);
    request[0] = (1 << 3) | 2;
    let at = writeVarint(request, 1, bodyLength);
    at += resource.copy(request, at);
    this.#buffer.copy(request, at, 0, this.#used);
    const spans = this.#spans;
    this.#used = 0;
    this.#spans = 0;
    return { request, spans };
  }
}

/** The length-delimited field at `at`: its number and where its value starts and ends. */
function lengthDelimited(
  bytes: Uint8Array,
  at: number,
  expected?: number,
): { number: number; start: number; end: number } {
  const [tag, afterTag] = readVarint(bytes, at);
  const number = tag >>> 3;
  if ((tag & 7) !== 2 || (expected !== undefined && number !== expected))
    throw new Error(`unexpected protobuf field ${number} (wire type ${tag & 7}) at byte ${at}`);
  const [length, start] = readVarint(bytes, afterTag);
  return { number, start, end: start + length };
}

function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
  }
}
