import type { Summary } from './measure.ts';

export type PeerOutcome =
  | { name: string; features: string; ok: true; summary: Summary }
  | { name: string; features: string; ok: false; error: string };

const COLUMNS = [
  'peer',
  'calls/s',
  'range over rounds',
  'p50 ms',
  'p99 ms',
  'calls/s ÷ strata',
  'p99 ÷ strata',
  'CPU µs/call',
  'CPU ÷ strata',
];

const count = (value: number): string => Math.round(value).toLocaleString('en-US');

function ratio(value: number, reference: number | undefined): string {
  return reference === undefined ? 'n/a' : `${(value / reference).toFixed(2)}×`;
}

/**
 * One row per peer in run order. Ratios are against the baseline row (Strata, full stack):
 * calls/s above 1× means the peer is faster than Strata, p99 above 1× means its tail is slower,
 * CPU above 1× means each call costs more CPU (client and server together) than Strata's.
 */
export function formatTable(outcomes: PeerOutcome[], baselineName: string): string {
  const baseline = outcomes.find((outcome) => outcome.name === baselineName);
  const reference = baseline?.ok === true ? baseline.summary : undefined;
  const rows = outcomes.map((outcome) => {
    if (!outcome.ok) return [outcome.name, 'FAILED', '', '', '', '', '', '', ''];
    const summary = outcome.summary;
    return [
      outcome.name,
      count(summary.callsPerSecond),
      `${count(summary.slowestCallsPerSecond)}–${count(summary.fastestCallsPerSecond)}`,
      summary.p50Ms.toFixed(2),
      summary.p99Ms.toFixed(2),
      ratio(summary.callsPerSecond, reference?.callsPerSecond),
      ratio(summary.p99Ms, reference?.p99Ms),
      summary.cpuMicrosPerCall === undefined ? 'n/a' : summary.cpuMicrosPerCall.toFixed(1),
      summary.cpuMicrosPerCall === undefined
        ? 'n/a'
        : ratio(summary.cpuMicrosPerCall, reference?.cpuMicrosPerCall),
    ];
  });
  const widths = COLUMNS.map((column, index) =>
    Math.max(column.length, ...rows.map((row) => row[index]!.length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!)))
      .join('  ');
  return [line(COLUMNS), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
