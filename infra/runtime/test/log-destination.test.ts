import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const CHILD = path.join(import.meta.dirname, 'fixtures', 'logging-child.ts');
/** A bound on a hung child, never a claim about how fast anything is. */
const HANG_BOUND_MS = 15_000;

let children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children = [];
});

interface Logged {
  lines: () => Array<{ level: number; msg: string; n?: number; service: string }>;
  /** Resolves once a line satisfies `test`; rejects (with what was logged) after HANG_BOUND_MS. */
  until: (what: string, test: (line: { level: number; msg: string; n?: number }) => boolean) => Promise<void>;
  exited: Promise<number | null>;
}

function run(...args: string[]): Logged {
  const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  let errors = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters) waiter();
  });
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const lines = () =>
    // Complete lines only: a read from the pipe may end inside one.
    output
      .slice(0, output.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as { level: number; msg: string; n?: number; service: string });
  return {
    lines,
    exited: new Promise((resolve) => child.once('exit', resolve)),
    until: (what, test) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!lines().some(test)) return;
          clearTimeout(bound);
          waiters.delete(check);
          resolve();
        };
        const bound = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no ${what} within ${HANG_BOUND_MS} ms; stdout: ${output.slice(-500)} stderr: ${errors}`,
            ),
          );
        }, HANG_BOUND_MS);
        waiters.add(check);
        check();
      }),
  };
}

const burst = (lines: Logged['lines']) =>
  lines()
    .filter((line) => line.msg === 'burst line')
    .map((line) => line.n);
const upTo = (count: number) => Array.from({ length: count }, (_, n) => n);

describe('a process log on stdout (logDestination)', () => {
  it('writes a line logged after a quiet spell while the process runs on, as a launcher waiting for it needs', async () => {
    const child = run('ready-then-wait');
    await child.until('serving on line', (line) => line.msg.includes(' serving on '));
    expect(child.lines()).toEqual([
      expect.objectContaining({
        level: 30,
        service: 'logging-child',
        msg: 'logging-child serving on 127.0.0.1:1',
      }),
    ]);
  }, 30_000);

  it('writes every line of a burst, in order, while the process runs on and logs nothing more', async () => {
    const child = run('burst-then-wait', '3000');
    await child.until('last burst line', (line) => line.n === 2999);
    expect(burst(child.lines)).toEqual(upTo(3000));
  }, 30_000);

  it('writes a warning with every line gathered before it', async () => {
    const child = run('burst-then-warn-then-wait', '500');
    await child.until('warning', (line) => line.level === 40);
    const lines = child.lines();
    expect(burst(() => lines)).toEqual(upTo(500));
    expect(lines.at(-1)).toEqual(expect.objectContaining({ level: 40, msg: 'after the burst' }));
  }, 30_000);

  it('writes what it gathered when the process exits right after logging it', async () => {
    const child = run('burst-then-exit', '3000');
    expect(await child.exited).toBe(0);
    expect(burst(child.lines)).toEqual(upTo(3000));
  }, 30_000);
});
