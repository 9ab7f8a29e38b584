import { afterAll, describe, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abuseSeed, expectNoFindings, ABUSE_BOUNDS } from './abuse/abuse-expectations.ts';
import { runAbuse, summaryLine } from './abuse/abuse-run.ts';
import { expectCleanStop, npmStart, stopPlatform, type Platform } from './platform-process.ts';

// The abuse suite against `npm start`: one process, SQLite, in-process events and cache.

// A bound on a hung start and run on a busy 2-core machine, not a performance claim.
const BOUND_MS = 360_000;

describe('the abuse suite against npm start (embedded platform)', () => {
  let dataDir: string | undefined;
  let running: Platform | undefined;

  afterAll(async () => {
    if (running !== undefined && running.child.exitCode === null && running.child.signalCode === null) {
      await stopPlatform(running);
    }
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'answers every abusive request of every documented operation without a 5xx, refuses with problem+json and keeps serving other users',
    async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'strata-abuse-'));
      running = await npmStart(dataDir);
      const port = Number(new URL(running.gateways[0]!).port);
      const seed = abuseSeed();
      const report = await runAbuse({ port, seed, ...ABUSE_BOUNDS });
      console.log(summaryLine('embedded', seed, report));
      expectNoFindings(report);
      expectCleanStop(await stopPlatform(running));
    },
    BOUND_MS,
  );
});
