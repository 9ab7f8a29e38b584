import { messages } from './span-seconds.ts';

// Issue 20: proof of how many calls a traced row of bench:rpc really sampled in its measured
// window. A new trace is kept or dropped by a 10-ms slice of time (ADR 0077), so a round of a few
// hundred slices keeps its own share, not exactly the ratio; the sink reads the spans the row's
// processes export, from the OTLP/protobuf wire itself (ExportTraceServiceRequest → resource_spans
// 1 → scope_spans 2 → spans 2; a span's kind is field 6, its start time field 7, fixed64 ns).

/** Spans of one row that started in its measured window, by kind. */
export interface SampledInWindow {
  server: number;
  client: number;
}

const SERVER = 2;
const CLIENT = 3;

/** A span's kind and start (ms since the epoch); the other fields are skipped. */
function kindAndStart(span: Uint8Array): { kind: number; startMs: number } {
  const view = new DataView(span.buffer, span.byteOffset, span.byteLength);
  let at = 0;
  let kind = 0;
  let startMs = Number.NaN;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = span[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < span.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) {
      const value = varint();
      if (field === 6) kind = value;
    } else if (wireType === 1) {
      if (field === 7) startMs = Number(view.getBigUint64(at, true) / 1_000_000n);
      at += 8;
    } else if (wireType === 5) at += 4;
    else if (wireType === 2) {
      const length = varint();
      at += length;
    } else throw new Error(`protobuf wire type ${wireType} is not in OTLP's spans`);
  }
  return { kind, startMs };
}

/** Adds the spans of one export that started within [fromMs, untilMs) to `counts`. */
export function countSampledInWindow(
  body: Uint8Array,
  window: { fromMs: number; untilMs: number },
  counts: SampledInWindow,
): void {
  for (const resourceSpans of messages(body, 1))
    for (const scopeSpans of messages(resourceSpans, 2))
      for (const span of messages(scopeSpans, 2)) {
        const { kind, startMs } = kindAndStart(span);
        if (!(startMs >= window.fromMs && startMs < window.untilMs)) continue;
        if (kind === SERVER) counts.server += 1;
        else if (kind === CLIENT) counts.client += 1;
      }
}
