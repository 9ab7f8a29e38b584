import { median } from '../shared/median.ts';
import type { Measurement } from './measure.ts';
import type { Peer } from './peer.ts';

/**
 * Each traced row, and the control (a second metrics-on row of the same build), divided by the
 * metrics-on row: the median of each round's pair, for calls/s and for CPU per call (rounds
 * interleave the rows, so a round's pair ran seconds apart; the ratio of the rows' medians, printed
 * beside it, pairs figures from different rounds). The control's line is what two identical rows
 * differ by in this run; a traced row's ratio is read beside it.
 */
export function againstMetrics(
  metrics: Peer,
  rows: readonly Peer[],
  measurements: ReadonlyMap<Peer, Measurement[]>,
): string[] {
  const reference = measurements.get(metrics);
  if (reference === undefined || reference.length === 0) return [];
  const lines: string[] = [];
  for (const row of rows) {
    const measured = measurements.get(row);
    if (measured === undefined || measured.length === 0) continue;
    const pairs = pairedRatios(measured, reference, (m) => m.callsPerSecond);
    const cpuPairs = pairedRatios(measured, reference, (m) => m.cpuMicrosPerCall);
    const cpu = medianOf(measured.map((m) => m.cpuMicrosPerCall));
    const referenceCpu = medianOf(reference.map((m) => m.cpuMicrosPerCall));
    const cpuRatio = cpu === undefined || referenceCpu === undefined ? 'n/a' : times(cpu / referenceCpu);
    lines.push(
      `${row.name} ÷ ${metrics.name}: calls/s ${times(median(pairs))} ` +
        `(rounds ${pairs.map(times).join(', ')}), CPU per call ${cpuPairs.length > 0 ? times(median(cpuPairs)) : 'n/a'} ` +
        `(rounds ${cpuPairs.map(times).join(', ')}; the rows' medians ${cpuRatio})`,
    );
  }
  return lines;
}

/** Each round's figure of `row` ÷ the reference's in the same round, for the rounds both have it. */
function pairedRatios(
  row: readonly Measurement[],
  reference: readonly Measurement[],
  figure: (m: Measurement) => number | undefined,
): number[] {
  const ratios: number[] = [];
  row.forEach((m, round) => {
    const mine = figure(m);
    const theirs = reference[round] === undefined ? undefined : figure(reference[round]);
    if (mine !== undefined && theirs !== undefined) ratios.push(mine / theirs);
  });
  return ratios;
}

const times = (value: number): string => `${value.toFixed(2)}×`;

/** The median, or undefined when a round has no CPU figure. */
function medianOf(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((value) => value !== undefined);
  return known.length === values.length && known.length > 0 ? median(known) : undefined;
}
