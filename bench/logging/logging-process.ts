// One row of bench:logging in a process of its own: logs access lines, paced like a busy HTTP hop,
// to its stdout (a file the parent opened, as a service's log is), then reports its CPU on stderr.
import { performance } from 'node:perf_hooks';
import { pino, type Logger } from 'pino';
import { createLogger, logDestination } from '@strata/runtime/plain-process';

const ROWS = ['none', 'pino-default', 'pino-sync', 'pino-sync-access', 'strata', 'strata-access'] as const;
type RowId = (typeof ROWS)[number];

/** The redaction every service's logger has (infra/runtime/src/logger.ts), for the peers too. */
const REDACT = {
  paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken', '*.accessToken'],
  censor: '[redacted]',
};

function loggerFor(row: RowId): Logger | undefined {
  const options = { level: 'info', base: { service: 'bench-logging' }, redact: REDACT };
  switch (row) {
    case 'none':
      return undefined;
    case 'pino-default':
      return pino(options);
    case 'pino-sync':
      return pino(options, pino.destination({ dest: 1, sync: true }));
    case 'pino-sync-access':
      return pino(options, pino.destination({ dest: 1, sync: true })).child({}, { redact: [] });
    case 'strata':
      return createLogger({ service: 'bench-logging' });
    case 'strata-access':
      return pino(options, logDestination()).child({}, { redact: [] });
  }
}

async function logFor(
  row: RowId,
  seconds: number,
  perTick: number,
): Promise<{ lines: number; cpuMicros: number }> {
  const logger = loggerFor(row);
  let lines = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await new Promise<void>((resolve) => {
    // A 1 ms timer with a few lines each turn: a server's lines come a few per event-loop turn, not
    // in one synchronous loop, and what a destination does between turns is part of its cost.
    const tick = () => {
      for (let line = 0; line < perTick; line += 1) {
        logger?.info(
          {
            requestId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
            method: 'GET',
            path: '/courses/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
            status: 200,
            ms: 3,
          },
          'request answered',
        );
        lines += 1;
      }
      if (performance.now() - started < seconds * 1_000) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const used = process.cpuUsage(cpu);
  return { lines, cpuMicros: used.user + used.system };
}

const [row, seconds, perTick] = [process.argv[2] as RowId, Number(process.argv[3]), Number(process.argv[4])];
if (!ROWS.includes(row)) throw new Error(`logging-process: unknown row ${row}; rows are ${ROWS.join(', ')}`);
const result = await logFor(row, seconds, perTick);
process.stderr.write(`${JSON.stringify(result)}\n`);
// Through exit, as a service ends: what a destination still holds is written on the way out.
process.exit(0);
