// The load generators of the read benches. HTTP rows run wrk (a separate C program, like
// bench:gateway); the other hops run load-process.ts in a process of its own.
import { spawn } from 'node:child_process';
import { runWrk } from '../shared/wrk.ts';
import type { LoadRequest, LoadResult } from './load-process.ts';

export interface Figures {
  /** Answered with 2xx: the only answers counted in `rps`. */
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

/** wrk against `url` with a script of `writeWrkScript`. Any answer but 2xx fails the run. */
export function wrk(url: string, script: string, seconds: number, connections: number): Figures {
  const run = runWrk({ url, seconds, connections, script });
  const refused = [...run.statuses].filter(([status]) => status < 200 || status > 299);
  if (refused.length > 0 || run.socketErrors !== undefined) {
    throw new Error(
      `wrk saw ${refused.map(([status, count]) => `${count} × ${status}`).join(', ') || 'no non-2xx answers'}, socket errors: ${run.socketErrors ?? 'none'}`,
    );
  }
  return { requests: run.requests, rps: run.rps, p50: run.p50, p99: run.p99 };
}

export function load(request: LoadRequest): Promise<Figures> {
  const child = spawn(
    process.execPath,
    [new URL('./load-process.ts', import.meta.url).pathname, JSON.stringify(request)],
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

export const pad = (text: string, width: number) => text.padEnd(width);
export const padStart = (text: string, width: number) => text.padStart(width);
export const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
