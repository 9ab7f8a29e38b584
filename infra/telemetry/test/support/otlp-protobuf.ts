import type { OtlpAttribute, OtlpRequest, OtlpSpan, OtlpValue } from './otlp-json.ts';

interface Field {
  number: number;
  /** A varint's value, or a length-delimited field's bytes; fixed-width fields as raw bytes. */
  value: bigint | Uint8Array;
}

/**
 * OTLP/protobuf's ExportTraceServiceRequest decoded into the shape of its JSON encoding (ids in
 * hex, kinds as numbers), for the test receiver: only the fields the tests read, from the wire
 * format itself, so the processes' protobuf is checked by code that shares nothing with theirs.
 */
export function decodeTraceRequest(bytes: Uint8Array): OtlpRequest {
  return {
    resourceSpans: messages(bytes, 1).map((resourceSpans) => ({
      resource: { attributes: messages(messages(resourceSpans, 1)[0] ?? new Uint8Array(), 1).map(keyValue) },
      scopeSpans: messages(resourceSpans, 2).map((scopeSpans) => ({
        scope: { name: text(messages(messages(scopeSpans, 1)[0] ?? new Uint8Array(), 1)[0]) },
        spans: messages(scopeSpans, 2).map(span),
      })),
    })),
  };
}

function span(bytes: Uint8Array): OtlpSpan {
  const parent = messages(bytes, 4)[0];
  return {
    traceId: hex(messages(bytes, 1)[0]),
    spanId: hex(messages(bytes, 2)[0]),
    ...(parent === undefined || parent.length === 0 ? {} : { parentSpanId: hex(parent) }),
    name: text(messages(bytes, 5)[0]),
    kind: Number(varints(bytes, 6)[0] ?? 0n),
    attributes: messages(bytes, 9).map(keyValue),
    events: messages(bytes, 11).map((event) => ({
      name: text(messages(event, 2)[0]),
      attributes: messages(event, 3).map(keyValue),
    })),
    links: messages(bytes, 13).map((link) => ({
      traceId: hex(messages(link, 1)[0]),
      spanId: hex(messages(link, 2)[0]),
      attributes: messages(link, 4).map(keyValue),
    })),
  };
}

function keyValue(bytes: Uint8Array): OtlpAttribute {
  return { key: text(messages(bytes, 1)[0]), value: anyValue(messages(bytes, 2)[0] ?? new Uint8Array()) };
}

function anyValue(bytes: Uint8Array): OtlpValue {
  const [field] = fields(bytes);
  if (field === undefined) return {};
  const { number, value } = field;
  if (number === 1) return { stringValue: text(value as Uint8Array) };
  if (number === 2) return { boolValue: value === 1n };
  if (number === 3) return { intValue: Number(BigInt.asIntN(64, value as bigint)) };
  if (number === 4) return { doubleValue: Buffer.from(value as Uint8Array).readDoubleLE(0) };
  if (number === 5) return { arrayValue: { values: messages(value as Uint8Array, 1).map(anyValue) } };
  throw new Error(`AnyValue field ${number} is not decoded by the test receiver`);
}

function messages(bytes: Uint8Array, number: number): Uint8Array[] {
  return fields(bytes)
    .filter((field) => field.number === number)
    .map((field) => field.value as Uint8Array);
}

function varints(bytes: Uint8Array, number: number): bigint[] {
  return fields(bytes)
    .filter((field) => field.number === number)
    .map((field) => field.value as bigint);
}

function fields(bytes: Uint8Array): Field[] {
  const found: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[at++];
      if (byte === undefined) throw new Error('truncated protobuf varint');
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  const take = (length: number): Uint8Array => {
    if (at + length > bytes.length) throw new Error('truncated protobuf field');
    const value = bytes.subarray(at, at + length);
    at += length;
    return value;
  };
  while (at < bytes.length) {
    const tag = Number(varint());
    const number = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === 0) found.push({ number, value: varint() });
    else if (wireType === 1) found.push({ number, value: take(8) });
    else if (wireType === 2) found.push({ number, value: take(Number(varint())) });
    else if (wireType === 5) found.push({ number, value: take(4) });
    else throw new Error(`protobuf wire type ${wireType} (field ${number}) is not used by OTLP`);
  }
  return found;
}

function text(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
}

function hex(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? new Uint8Array()).toString('hex');
}
