// The load generators of the read benches and the medians over rounds. HTTP rows run wrk (a
// separate C program, like bench:gateway); the other hops run load-process.ts in a process of its own.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { LoadRequest, LoadResult } from './load-process.ts';

export interface Figures {
  /** Answered with 2xx: the only answers counted in `rps`. */
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Answers 429 Too Many Requests, where the row accepts them (`wrk`'s `limitedIsAnAnswer`). */
  readonly limited?: number;
}

function toMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) throw new Error(`unreadable wrk latency ${text}`);
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

/**
 * A wrk script that asks for `<base><id>`: a random id of the list (`order: 'random'`) or each id
 * once in turn (`'walk'`, to defeat a cache; the caller checks the run made fewer requests than ids).
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

/**
 * wrk against `url` with a script of `writeWrkScript`. Any answer but 2xx fails the run, except
 * 429 where `limitedIsAnAnswer`: a limit the platform is configured with, which answered it; those
 * are counted apart and left out of `requests` and `rps`.
 */
export function wrk(
  url: string,
  script: string,
  seconds: number,
  connections: number,
  limitedIsAnAnswer = false,
): Figures {
  const result = spawnSync(
    'wrk',
    ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`);
  const out = result.stdout;
  const statuses = new Map(
    [...out.matchAll(/^status (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]),
  );
  const limited = limitedIsAnAnswer ? (statuses.get(429) ?? 0) : 0;
  const refused = [...statuses].filter(
    ([status]) => (status < 200 || status > 299) && !(limitedIsAnAnswer && status === 429),
  );
  const socketErrors = /Socket errors: (.+)/.exec(out)?.[1];
  if (refused.length > 0 || socketErrors !== undefined) {
    throw new Error(
      `wrk saw ${refused.map(([status, count]) => `${count} × ${status}`).join(', ') || 'no non-2xx answers'}, socket errors: ${socketErrors ?? 'none'}`,
    );
  }
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  return {
    requests: requests - limited,
    rps: (rps * (requests - limited)) / requests,
    p50: toMs(/\s50%\s+(\S+)/.exec(out)![1]!),
    p99: toMs(/\s99%\s+(\S+)/.exec(out)![1]!),
    ...(limitedIsAnAnswer ? { limited } : {}),
  };
}

export function load(request: LoadRequest): Promise<Figures> {
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=TimeoutNegativeWarning',
      new URL('./load-process.ts', import.meta.url).pathname,
      JSON.stringify(request),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0)
        return reject(new Error(`the ${request.mode} load failed (exit ${code}):\n${out.slice(-2000)}`));
      resolve(JSON.parse(last) as LoadResult);
    });
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const pad = (text: string, width: number) => text.padEnd(width);
export const padStart = (text: string, width: number) => text.padStart(width);
export const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
