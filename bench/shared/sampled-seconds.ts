import { median } from './median.ts';

/*
 * Issue 20: what sampling costs, read inside one traced process (or one pair of them) whose callers
 * sample a share of their requests that changes every wall-clock second. Two processes of the same
 * build differ by 10–30 % in CPU per request on this machine, more than the 10 % goal; one process
 * read against itself, second by second, is warmed alike and shares the machine's moods. Each
 * sampled second is divided by the mean of the unsampled seconds on either side, so a drift over
 * minutes (someone else's load, the heap growing) cancels out.
 */

export interface MeasuredSecond {
  /** Unix second. */
  readonly second: number;
  /** The share of requests sampled in it. */
  readonly share: number;
  /** Requests or calls completed in it. */
  readonly done: number;
  /** CPU seconds the measured processes used in it. */
  readonly cpuSeconds: number;
}

export interface SampledShare {
  readonly fraction: number;
  /** Sampled seconds whose neighbours were both unsampled. */
  readonly pairs: number;
  /** CPU per request of a sampled second ÷ the mean of its two neighbours': median, mean, standard error. */
  readonly cpuMedian: number;
  readonly cpuMean: number;
  readonly cpuStandardError: number;
  /** Requests completed in a sampled second ÷ the mean of its neighbours': median. */
  readonly doneMedian: number;
  /** The unsampled seconds' CPU µs per request (median), the base the ratios are read against. */
  readonly baseCpuUs: number;
}

/** A second of the run: what was done in it and each measured process's CPU seconds. */
export interface ReadSecond {
  readonly second: number;
  readonly share: number;
  readonly done: number;
  readonly cpu: number[];
}

/**
 * The seconds `from` up to (not including) `until` that have both CPU readings (one per process,
 * taken at each second's start, bench/shared/cpu-by-second.ts) and something done in them, each with
 * its share of the cycle (second s takes cycle[s % length]).
 */
export function readSeconds(
  readings: ReadonlyMap<number, readonly number[]>,
  done: ReadonlyMap<number, number>,
  cycle: readonly number[],
  from: number,
  until: number,
): ReadSecond[] {
  const seconds: ReadSecond[] = [];
  for (let second = from; second < until; second++) {
    const start = readings.get(second);
    const end = readings.get(second + 1);
    const answered = done.get(second) ?? 0;
    if (start === undefined || end === undefined || answered === 0) continue;
    const share = cycle[second % cycle.length]!;
    seconds.push({ second, share, done: answered, cpu: end.map((value, i) => value - start[i]!) });
  }
  return seconds;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** One entry per sampled share in `seconds`, each read against its unsampled neighbours. */
export function againstUnsampledNeighbours(seconds: readonly MeasuredSecond[]): SampledShare[] {
  const bySecond = new Map(seconds.map((one) => [one.second, one]));
  const cpuUs = (one: MeasuredSecond) => (one.cpuSeconds * 1e6) / one.done;
  const unsampled = seconds.filter((one) => one.share === 0);
  const shares = [...new Set(seconds.map((one) => one.share).filter((share) => share > 0))];
  return shares.map((fraction) => {
    const pairs = seconds.flatMap((one) => {
      const before = bySecond.get(one.second - 1);
      const after = bySecond.get(one.second + 1);
      if (one.share !== fraction || before?.share !== 0 || after?.share !== 0) return [];
      return [
        {
          cpu: cpuUs(one) / ((cpuUs(before) + cpuUs(after)) / 2),
          done: one.done / ((before.done + after.done) / 2),
        },
      ];
    });
    if (pairs.length < 2)
      throw new Error(
        `only ${pairs.length} sampled second(s) at ${fraction} between unsampled ones: run longer`,
      );
    const cpu = pairs.map((pair) => pair.cpu);
    const cpuMean = mean(cpu);
    const spread = Math.sqrt(
      mean(cpu.map((value) => (value - cpuMean) ** 2)) * (cpu.length / (cpu.length - 1)),
    );
    return {
      fraction,
      pairs: pairs.length,
      cpuMedian: median(cpu),
      cpuMean,
      cpuStandardError: spread / Math.sqrt(cpu.length),
      doneMedian: median(pairs.map((pair) => pair.done)),
      baseCpuUs: median(unsampled.map(cpuUs)),
    };
  });
}
