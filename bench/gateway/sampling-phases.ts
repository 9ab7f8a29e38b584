// Issue 20: what sampling costs a traced gateway, read inside one process. Two gateway processes of
// the same build differ by 10–30 % in CPU per request on this machine (bench/README.md, "the
// identical gateways"), more than the goal's 10 %, so a traced process against an untraced one
// cannot resolve it. Here one traced gateway (parent-based sampler, as shipped) serves wrk for the
// whole run while wrk's script sends a `traceparent` on every request whose sampled flag follows the
// wall clock: in the seconds of the cycle given `0` no request is sampled, in a second given 0.1
// one request in ten is. Each sampled second is read against the unsampled seconds on either side,
// in the same process, warmed the same way. What it leaves out: what a traced process costs before
// it samples anything (the SDK loaded, a non-recording span per request), which the table's traced
// (none) row shows against its untraced twin.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../shared/median.ts';
import { cpuSeconds } from '../shared/process-cpu.ts';
import { runWrk, startWrk } from '../shared/wrk.ts';

export interface SamplingPhasesLoad {
  /** A traced gateway with a `parentbased_*` sampler, and its pid. */
  readonly url: string;
  readonly pid: number;
  readonly seconds: number;
  readonly connections: number;
  /** The share of requests sampled in each second of the cycle; a cycle holds at least one 0. */
  readonly cycle: readonly number[];
  readonly dir: string;
}

export interface SampledShare {
  readonly fraction: number;
  /** Sampled seconds whose neighbours were both unsampled. */
  readonly pairs: number;
  /** CPU per request of a sampled second ÷ the mean of its two neighbours': median, mean, standard error. */
  readonly cpuMedian: number;
  readonly cpuMean: number;
  readonly cpuStandardError: number;
  /** Requests served in a sampled second ÷ the mean of its neighbours': median. */
  readonly requestsMedian: number;
  /** The unsampled seconds' CPU µs per request (median), the base the ratios are read against. */
  readonly baseCpuUs: number;
}

/** wrk's script: the cycle's share of sampled parents per wall-clock second, answers counted by second. */
function writeScript(file: string, cycle: readonly number[]): void {
  writeFileSync(
    file,
    `local cycle = {${cycle.join(', ')}}
local n = 0
request = function()
  n = n + 1
  local second = os.time()
  local share = cycle[(second % #cycle) + 1]
  local sampled = math.floor(n * share) ~= math.floor((n - 1) * share)
  local id = (n % 2147483647) + 1
  return wrk.format(nil, nil, {
    traceparent = string.format("00-%016x%016x-%016x-%s", second, id, id, sampled and "01" or "00"),
  })
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
answers = {}
response = function()
  local second = os.time()
  answers[second] = (answers[second] or 0) + 1
end
done = function()
  for _, thread in ipairs(threads) do
    for second, count in pairs(thread:get("answers")) do io.write(string.format("second %d %d\\n", second, count)) end
  end
end
`,
  );
}

/** The gateway's CPU seconds read just after each wall-clock second starts, until `stop` is set. */
async function cpuBySecond(pid: number, until: Promise<unknown>): Promise<Map<number, number>> {
  const readings = new Map<number, number>();
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 2));
    readings.set(Math.floor(Date.now() / 1000), cpuSeconds(pid));
  }
  return readings;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

export async function measureSamplingPhases(load: SamplingPhasesLoad): Promise<SampledShare[]> {
  if (!load.cycle.includes(0)) throw new Error('the sampling cycle needs an unsampled second (0)');
  const script = join(load.dir, 'sampled-parents.lua');
  writeScript(script, load.cycle);
  const base = { url: load.url, connections: load.connections, script };
  // Both paths warmed (the sampled one compiles only as often as it runs) before any second counts.
  runWrk({ ...base, seconds: 5 });
  const wrk = startWrk({ ...base, seconds: load.seconds });
  const finished = new Promise((resolve) => setTimeout(resolve, load.seconds * 1000));
  const [readings] = await Promise.all([cpuBySecond(load.pid, finished), finished]);
  const run = await wrk.stop();
  const answers = new Map(
    [...run.output.matchAll(/^second (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]),
  );
  // A second's CPU: from the reading at its start to the one at the next; the first and last
  // seconds of the run are partial and dropped.
  const seconds = [...readings.keys()].sort((a, b) => a - b).slice(1, -2);
  const measured = seconds
    .filter((second) => readings.has(second + 1) && (answers.get(second) ?? 0) > 0)
    .map((second) => ({
      second,
      share: load.cycle[second % load.cycle.length]!,
      requests: answers.get(second)!,
      cpuUs: ((readings.get(second + 1)! - readings.get(second)!) * 1e6) / answers.get(second)!,
    }));
  const bySecond = new Map(measured.map((one) => [one.second, one]));
  const unsampled = measured.filter((one) => one.share === 0);
  return [...new Set(load.cycle.filter((share) => share > 0))].map((fraction) => {
    const pairs = measured.flatMap((one) => {
      const before = bySecond.get(one.second - 1);
      const after = bySecond.get(one.second + 1);
      if (one.share !== fraction || before?.share !== 0 || after?.share !== 0) return [];
      return [
        {
          cpu: one.cpuUs / ((before.cpuUs + after.cpuUs) / 2),
          requests: one.requests / ((before.requests + after.requests) / 2),
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
      requestsMedian: median(pairs.map((pair) => pair.requests)),
      baseCpuUs: median(unsampled.map((one) => one.cpuUs)),
    };
  });
}
