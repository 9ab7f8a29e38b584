// The latency a proxy adds at a steady rate below every row's capacity. The main table's p99 is
// taken at saturation (wrk's closed loop), where a row's latency is mostly its queue: 32
// connections ÷ its requests per second (Little's law), so a slower proxy's p99 there is its
// throughput again. Here each connection waits `delayMs` between its requests (wrk's `delay()`),
// so every proxy serves the same few thousand requests a second, and what differs is the time one
// request spends in it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { median } from '../shared/median.ts';
import { failuresOf, runWrk } from '../shared/wrk.ts';

export interface SteadyTarget {
  readonly name: string;
  readonly url: string;
  readonly headers: Record<string, string>;
}

export interface SteadyRow {
  readonly name: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Answers neither 2xx nor 3xx and socket errors, as the main table's errors column says them. */
  readonly errors: string;
}

/** Every target in turn each round, as the main table does; medians over rounds. */
export async function measureSteadyLatency(
  targets: readonly SteadyTarget[],
  load: { dir: string; rounds: number; seconds: number; connections: number; delayMs: number },
): Promise<SteadyRow[]> {
  const script = join(load.dir, 'steady.lua');
  await writeFile(script, `function delay()\n  return ${load.delayMs}\nend\n`);
  const runs = new Map(targets.map((target) => [target.name, [] as ReturnType<typeof runWrk>[]]));
  for (let round = 0; round < load.rounds; round += 1) {
    for (const target of targets) {
      runs.get(target.name)!.push(
        runWrk({
          url: target.url,
          headers: target.headers,
          seconds: load.seconds,
          connections: load.connections,
          script,
        }),
      );
    }
  }
  return targets.map(({ name }) => {
    const taken = runs.get(name)!;
    return {
      name,
      rps: median(taken.map((run) => run.rps)),
      p50: median(taken.map((run) => run.p50)),
      p99: median(taken.map((run) => run.p99)),
      errors: [...new Set(taken.map((run) => failuresOf(run, 'non-2xx')))].join('; '),
    };
  });
}
