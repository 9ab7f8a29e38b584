import type { Measurement } from './measure.ts';

export type PeerOutcome =
  | { name: string; features: string; ok: true; measurement: Measurement }
  | { name: string; features: string; ok: false; error: string };

const COLUMNS = ['peer', 'calls/s', 'p50 ms', 'p99 ms', 'calls/s ÷ strata', 'p99 ÷ strata'];

function ratio(value: number, reference: Measurement | undefined, pick: (m: Measurement) => number): string {
  return reference === undefined ? 'n/a' : `${(value / pick(reference)).toFixed(2)}×`;
}

/**
 * One row per peer in run order. Ratios are against the baseline row (Strata, full stack):
 * calls/s above 1× means the peer is faster than Strata, p99 above 1× means its tail is slower.
 */
export function formatTable(outcomes: PeerOutcome[], baselineName: string): string {
  const baseline = outcomes.find((outcome) => outcome.name === baselineName);
  const reference = baseline?.ok === true ? baseline.measurement : undefined;
  const rows = outcomes.map((outcome) => {
    if (!outcome.ok) return [outcome.name, 'FAILED', '', '', '', ''];
    const { callsPerSecond, p50Ms, p99Ms } = outcome.measurement;
    return [
      outcome.name,
      Math.round(callsPerSecond).toLocaleString('en-US'),
      p50Ms.toFixed(2),
      p99Ms.toFixed(2),
      ratio(callsPerSecond, reference, (m) => m.callsPerSecond),
      ratio(p99Ms, reference, (m) => m.p99Ms),
    ];
  });
  const widths = COLUMNS.map((column, index) => Math.max(column.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('  ');
  return [line(COLUMNS), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
