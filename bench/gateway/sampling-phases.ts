// Issue 20: what sampling costs a traced gateway, read inside one process. Two gateway processes of
// the same build differ by 10–30 % in CPU per request on this machine (bench/README.md, "the
// identical gateways"), more than the goal's 10 %, so a traced process against an untraced one
// cannot resolve it. Here one traced gateway (parent-based sampler, as shipped) serves wrk for the
// whole run while wrk's script sends a `traceparent` on every request whose sampled flag follows the
// wall clock: in the seconds of the cycle given `0` no request is sampled, in a second given 0.1
// one request in ten is. Each sampled second is read against the unsampled seconds on either side,
// in the same process, warmed the same way. A caller's unsampled request makes no span in the
// gateway (ADR 0068), so the unsampled seconds cost what an untraced gateway's would, but for the
// SDK being loaded; that, and what a request without a `traceparent` costs (the root's sampling
// decision and a non-recording span), the table's traced rows show against their untraced twins.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuBySecond } from '../shared/cpu-by-second.ts';
import { againstUnsampledNeighbours, readSeconds, type SampledShare } from '../shared/sampled-seconds.ts';
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

export async function measureSamplingPhases(load: SamplingPhasesLoad): Promise<SampledShare[]> {
  if (!load.cycle.includes(0)) throw new Error('the sampling cycle needs an unsampled second (0)');
  const script = join(load.dir, 'sampled-parents.lua');
  writeScript(script, load.cycle);
  const base = { url: load.url, connections: load.connections, script };
  // Both paths warmed (the sampled one compiles only as often as it runs) before any second counts.
  runWrk({ ...base, seconds: 5 });
  const wrk = startWrk({ ...base, seconds: load.seconds });
  const finished = new Promise((resolve) => setTimeout(resolve, load.seconds * 1000));
  const [readings] = await Promise.all([cpuBySecond([load.pid], finished), finished]);
  const run = await wrk.stop();
  const answers = new Map(
    [...run.output.matchAll(/^second (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]),
  );
  // A second's CPU: from the reading at its start to the one at the next; the first and last
  // seconds of the run are partial and dropped.
  const read = [...readings.keys()];
  return againstUnsampledNeighbours(
    readSeconds(readings, answers, load.cycle, Math.min(...read) + 1, Math.max(...read) - 1).map(
      ({ cpu, ...one }) => ({ ...one, cpuSeconds: cpu[0]! }),
    ),
  );
}
