// wrk, the HTTP load generator the benches measure with: a separate C program, so the load it makes
// costs nothing of the processes measured. One runner for every bench, so each reads the same
// figures from wrk's output the same way; what counts as a failed run is each bench's to decide.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export interface WrkRun {
  /** Every answer wrk counted, whatever its status. */
  readonly requests: number;
  readonly rps: number;
  /** Latency percentiles in ms. */
  readonly p50: number;
  readonly p99: number;
  /** wrk's own count of answers neither 2xx nor 3xx; undefined when it printed none. */
  readonly notSuccess: number | undefined;
  /** wrk's socket errors line (connect, read, write, timeout); undefined when it printed none. */
  readonly socketErrors: string | undefined;
  /** The answers by status, when the script is one of `writeWrkScript`; empty otherwise. */
  readonly statuses: ReadonlyMap<number, number>;
  /** wrk's whole output, for what a bench's own script prints. */
  readonly output: string;
}

export interface WrkLoad {
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
  /** Sent with every request, as `-H 'name: value'`. */
  readonly headers?: Record<string, string>;
  /** A Lua script (`-s`), such as one of `writeWrkScript`. */
  readonly script?: string;
}

function toMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) throw new Error(`unreadable wrk latency ${text}`);
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function wrkArgs(load: WrkLoad): string[] {
  return [
    '-t1',
    `-c${load.connections}`,
    `-d${load.seconds}s`,
    '--latency',
    ...Object.entries(load.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    ...(load.script === undefined ? [] : ['-s', load.script]),
    load.url,
  ];
}

function parseWrk(out: string): WrkRun {
  const notSuccess = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1];
  return {
    requests: Number(/(\d+) requests in/.exec(out)?.[1]),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50: toMs(/\s50%\s+(\S+)/.exec(out)![1]!),
    p99: toMs(/\s99%\s+(\S+)/.exec(out)![1]!),
    notSuccess: notSuccess === undefined ? undefined : Number(notSuccess),
    socketErrors: /Socket errors: (.+)/.exec(out)?.[1],
    statuses: new Map([...out.matchAll(/^status (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])])),
    output: out,
  };
}

/** One thread, so wrk takes one core at most from the shared machine; `connections` keeps it busy. */
export function runWrk(load: WrkLoad): WrkRun {
  const result = spawnSync('wrk', wrkArgs(load), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`);
  return parseWrk(result.stdout);
}

/**
 * wrk as load in the background while the caller measures something else: `load.seconds` is the
 * longest it runs; `stop()` ends it sooner (SIGINT, on which wrk prints its figures as at the end
 * of a run) and resolves with its figures.
 */
export function startWrk(load: WrkLoad): { stop(): Promise<WrkRun> } {
  const child = spawn('wrk', wrkArgs(load), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const code = await exited;
      if (code !== 0) throw new Error(`wrk failed (${code}): ${err}`);
      return parseWrk(out);
    },
  };
}

/**
 * A run's failures as a table's errors column: the answers wrk counted as neither 2xx nor 3xx,
 * named as the bench names them (`failed`), and its socket errors; 'none' when it saw neither.
 */
export function failuresOf(run: WrkRun, failed: string): string {
  return (
    [run.notSuccess !== undefined ? `${run.notSuccess} ${failed}` : '', run.socketErrors ?? '']
      .filter(Boolean)
      .join('; ') || 'none'
  );
}

/**
 * A wrk script that asks for `<base><id>`: a random id of the list (`order: 'random'`) or each id
 * once in turn (`'walk'`, to defeat a cache; the caller checks the run made fewer requests than ids).
 * It prints the answers by status, which `runWrk` reads into `statuses`.
 */
export function writeWrkScript(
  file: string,
  path: string,
  ids: readonly string[],
  order: 'random' | 'walk',
): void {
  writeFileSync(
    file,
    `local ids = {${ids.map((id) => `"${id}"`).join(',')}}
local n = 0
math.randomseed(os.time())
request = function()
  n = n + 1
  local id = ${order === 'random' ? 'ids[math.random(#ids)]' : 'ids[((n - 1) % #ids) + 1]'}
  return wrk.format(nil, "${path}" .. id)
end
-- The answers by status, printed as "status <code> <count>" lines (wrk itself only counts non-2xx).
local threads = {}
setup = function(thread) table.insert(threads, thread) end
statuses = {}
response = function(status) statuses[status] = (statuses[status] or 0) + 1 end
done = function()
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do io.write(string.format("status %d %d\\n", status, count)) end
  end
end
`,
  );
}
