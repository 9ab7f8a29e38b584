import { afterAll, describe, it } from '@jest/globals';
import { abuseSeed, expectNoFindings, ABUSE_BOUNDS } from './abuse/abuse-expectations.ts';
import { runAbuse, summaryLine } from './abuse/abuse-run.ts';
import { EmbeddedRuns, expectCleanStop, stopPlatform } from './platform-process.ts';

// The abuse suite against `npm start`: one process, SQLite, in-process events and cache.

// A bound on a hung start and run on a busy 2-core machine, not a performance claim.
const BOUND_MS = 360_000;

describe('the abuse suite against npm start (embedded platform)', () => {
  const runs = new EmbeddedRuns('strata-abuse-');

  afterAll(() => runs.cleanUp());

  it(
    'answers every abusive request of every documented operation without a 5xx, refuses with problem+json and keeps serving other users',
    async () => {
      const running = await runs.start();
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
