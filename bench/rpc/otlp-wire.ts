// The benches' own reader of OTLP/protobuf exports, sharing nothing with the processes' encoder, so
// what the sink counts is read from the wire itself (ExportTraceServiceRequest → resource_spans 1 →
// scope_spans 2 → spans 2).

/** One field of a protobuf message: a varint's value, or the bytes of any other wire type. */
export type WireField =
  | { readonly number: number; readonly wireType: 0; readonly value: number }
  | { readonly number: number; readonly wireType: 1 | 2 | 5; readonly bytes: Uint8Array };

/** The fields of one protobuf message, in order. */
export function* fields(bytes: Uint8Array): Generator<WireField> {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++]!;
      // Lengths, keys and the values read here fit in 2^53; a longer varint is only imprecise.
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) {
      yield { number, wireType, value: varint() };
      continue;
    }
    if (wireType !== 1 && wireType !== 2 && wireType !== 5)
      throw new Error(`protobuf wire type ${wireType} is not in OTLP's spans`);
    const length = wireType === 1 ? 8 : wireType === 5 ? 4 : varint();
    yield { number, wireType, bytes: bytes.subarray(at, at + length) };
    at += length;
  }
}

/** The length-delimited fields numbered `number` in one protobuf message. */
export function* messages(bytes: Uint8Array, number: number): Generator<Uint8Array> {
  for (const field of fields(bytes)) if (field.wireType === 2 && field.number === number) yield field.bytes;
}

/** Every span of one export, across its resources and scopes. */
export function* spansOf(body: Uint8Array): Generator<Uint8Array> {
  for (const resourceSpans of messages(body, 1))
    for (const scopeSpans of messages(resourceSpans, 2)) yield* messages(scopeSpans, 2);
}
