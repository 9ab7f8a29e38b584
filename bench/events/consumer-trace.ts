import { writeFileSync } from 'node:fs';
import type { Consumer } from 'kafkajs';
import { loopTrace } from './loop-trace.ts';
import { monotonicMs } from './monotonic-clock.ts';

/**
 * BENCH_TRACE=<dir>: the consumer process's timeline, for finding what its slow events waited on:
 * every kafkajs request (api, sent, duration, time queued in the client), every GC pause, every
 * event-loop stall over 5 ms, and every processor call (size, start, end). Written as JSON on stop.
 */
export function consumerTrace(dir: string, kafkajs: Consumer) {
  const wallToMono = monotonicMs() - Date.now();
  const requests: [api: string, sent: number, duration: number, pending: number][] = [];
  const calls: [start: number, end: number, size: number][] = [];
  const sql: [what: string, start: number, end: number][] = [];
  kafkajs.on(kafkajs.events.REQUEST, ({ payload }) => {
    const { apiName, sentAt, duration, pendingDuration } = payload as {
      apiName: string;
      sentAt: number;
      duration: number;
      pendingDuration: number;
    };
    requests.push([apiName, sentAt + wallToMono, duration, pendingDuration]);
  });
  const loop = loopTrace();
  return {
    call<T>(size: number, work: () => Promise<T>): Promise<T> {
      const start = monotonicMs();
      return work().finally(() => calls.push([start, monotonicMs(), size]));
    },
    /** Times the connection's begin, statements and commit (what an inbox transaction waits on). */
    timeSql(connection: Record<string, unknown>): void {
      for (const name of ['begin', 'execute', 'commit', 'rollback']) {
        const inner = connection[name] as (...args: unknown[]) => Promise<unknown>;
        connection[name] = function (this: unknown, ...args: unknown[]) {
          const start = monotonicMs();
          const what = name === 'execute' ? String(args[0]).slice(0, 12) : name;
          return inner.apply(this, args).finally(() => sql.push([what, start, monotonicMs()]));
        };
      }
    },
    write(): void {
      const { gcs, stalls } = loop.stop();
      writeFileSync(
        `${dir}/consumer-${process.pid}.json`,
        JSON.stringify({ requests, gcs, stalls, calls, sql }),
      );
    },
  };
}
