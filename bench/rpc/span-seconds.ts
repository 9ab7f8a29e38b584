// Proof that the sampling phases sample what they say: the phase client gives every call's parent a
// trace id whose first 8 bytes are the wall-clock second it was sent in (phase-calls.ts), and the
// client's and the server's spans keep their parent's trace id, so counting the spans the sink
// receives by that second shows which seconds made spans and how many. Read from the OTLP/protobuf
// wire format itself (ExportTraceServiceRequest → resource_spans 1 → scope_spans 2 → spans 2 →
// trace_id 1), sharing nothing with the processes' encoder.

/** The length-delimited fields numbered `number` in one protobuf message. */
export function* messages(bytes: Uint8Array, number: number): Generator<Uint8Array> {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++]!;
      // Lengths and field keys fit in 2^53; a longer varint (a 64-bit value) is only skipped.
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const wireType = key % 8;
    if (wireType === 0) varint();
    else if (wireType === 1) at += 8;
    else if (wireType === 5) at += 4;
    else if (wireType === 2) {
      const length = varint();
      if (Math.floor(key / 8) === number) yield bytes.subarray(at, at + length);
      at += length;
    } else throw new Error(`protobuf wire type ${wireType} is not in OTLP's spans`);
  }
}

/** Adds the spans of one OTLP/protobuf export to `bySecond`, by the second their trace id names. */
export function countSpansBySecond(body: Uint8Array, bySecond: Map<number, number>): void {
  for (const resourceSpans of messages(body, 1))
    for (const scopeSpans of messages(resourceSpans, 2))
      for (const span of messages(scopeSpans, 2))
        for (const traceId of messages(span, 1)) {
          const second = Number(Buffer.from(traceId).readBigUInt64BE(0));
          bySecond.set(second, (bySecond.get(second) ?? 0) + 1);
        }
}
