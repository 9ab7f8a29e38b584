import { messages, spansOf } from './otlp-wire.ts';

// Proof that the sampling phases sample what they say: the phase client gives every call's parent a
// trace id whose first 8 bytes are the wall-clock second it was sent in (phase-calls.ts), and the
// client's and the server's spans keep their parent's trace id, so counting the spans the sink
// receives by that second shows which seconds made spans and how many (otlp-wire.ts reads them).

/** Adds the spans of one OTLP/protobuf export to `bySecond`, by the second their trace id names. */
export function countSpansBySecond(body: Uint8Array, bySecond: Map<number, number>): void {
  for (const span of spansOf(body))
    for (const traceId of messages(span, 1)) {
      const second = Number(Buffer.from(traceId).readBigUInt64BE(0));
      bySecond.set(second, (bySecond.get(second) ?? 0) + 1);
    }
}
