import { fields, spansOf } from './otlp-wire.ts';

// Issue 20: proof of how many calls a traced row of bench:rpc really sampled in its measured
// window. New traces are kept or dropped a slice at a time (ADR 0077, ADR 0082), so a round keeps
// its own share, not exactly the ratio; the sink reads the spans the row's processes export from the
// wire itself (otlp-wire.ts): a span's kind is field 6, its start time field 7 (fixed64 ns).

/** Spans of one row that started in its measured window, by kind. */
export interface SampledInWindow {
  server: number;
  client: number;
}

const SERVER = 2;
const CLIENT = 3;

/** A span's kind and start (ms since the epoch); the other fields are skipped. */
function kindAndStart(span: Uint8Array): { kind: number; startMs: number } {
  let kind = 0;
  let startMs = Number.NaN;
  for (const field of fields(span)) {
    if (field.number === 6 && field.wireType === 0) kind = field.value;
    else if (field.number === 7 && field.wireType === 1)
      startMs = Number(Buffer.from(field.bytes).readBigUInt64LE(0) / 1_000_000n);
  }
  return { kind, startMs };
}

/** Adds the spans of one export that started within [fromMs, untilMs) to `counts`. */
export function countSampledInWindow(
  body: Uint8Array,
  window: { fromMs: number; untilMs: number },
  counts: SampledInWindow,
): void {
  for (const span of spansOf(body)) {
    const { kind, startMs } = kindAndStart(span);
    if (!(startMs >= window.fromMs && startMs < window.untilMs)) continue;
    if (kind === SERVER) counts.server += 1;
    else if (kind === CLIENT) counts.client += 1;
  }
}
