import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';

// Whether the dispatcher's sockets keep the process alive: one carrying a request must (else a
// process waiting on its upstream could exit with the answer unread), one idle in its pool must not
// (else a gateway or a test would never exit on its own). Asked of a process of its own
// (fixtures/lone-dispatcher.ts), whose only other handles are unreferenced: counting the sockets
// of this jest worker would count whatever other tests left open or were closing meanwhile.

/** A hung child means an idle socket kept it alive; it is killed well before jest's own timeout. */
const EXIT_WITHIN_MS = 20_000;

describe("the upstream dispatcher's sockets and the process's life", () => {
  it('keep it alive while a request waits, and not while the socket idles in the pool', async () => {
    const child = spawn(
      process.execPath,
      [new URL('./fixtures/lone-dispatcher.ts', import.meta.url).pathname],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), EXIT_WITHIN_MS);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    clearTimeout(killer);

    // Both late answers were read (the waiting socket held the process), over one kept-alive socket.
    expect(stdout.trim().split('\n')).toEqual(['answered 1', 'answered 2', 'connections 1']);
    // And it exited by itself, its idle socket still pooled for a minute.
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  }, 30_000);
});
