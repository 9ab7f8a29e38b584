import { cpuReader, cpuSeconds, exitedChildrenCpuSeconds, serverPids } from '../shared/process-cpu.ts';

/**
 * CPU µs per event of each process a row involves, from /proc; undefined where a process is not
 * part of the row (MariaDB for the plain clients, a consumer run in the bench's own process) or
 * could not be read. On two shared cores events/s swing with other people's load; CPU per event
 * moves less, and the pipeline's events/s are bounded by the total its processes spend.
 */
export interface CpuPerEvent {
  /** The bench's process (producers, and the relay of the outbox rows) and any child of it that ran to its end meanwhile (the perf test's JVM). */
  readonly bench: number | undefined;
  readonly consumer: number | undefined;
  /** The dev stack's MariaDB server: shared, so its idle work and anyone else's queries count too. */
  readonly mariadb: number | undefined;
  /** The dev stack's Kafka broker: shared, as MariaDB. */
  readonly kafka: number | undefined;
  /** The sum of the processes above that were read. */
  readonly total: number;
}

// Found once: the dev stack's servers do not restart during a run.
const mariadb = cpuReader(serverPids('mariadb'));
const kafka = cpuReader(serverPids('kafka'));
// A child run synchronously to its end (spawnSync) is invisible while it runs; once waited for,
// the kernel adds its CPU to its parent's cutime/cstime.
const bench = () => cpuSeconds(process.pid) + exitedChildrenCpuSeconds(process.pid);

/**
 * Starts counting now, for a row's measured part (after its consumer joined, before the first
 * event, until the last one is handled); `perEvent` divides what each process used since.
 */
export function cpuMeter(row: { consumerPid: number | undefined; database: boolean }): {
  perEvent(events: number): CpuPerEvent;
} {
  const readers = {
    bench,
    consumer: row.consumerPid === undefined ? undefined : cpuReader([row.consumerPid]),
    mariadb: row.database ? mariadb : undefined,
    kafka,
  };
  type Part = keyof typeof readers;
  const before = Object.fromEntries(
    Object.entries(readers).map(([part, read]) => [part, read?.()]),
  ) as Record<Part, number | undefined>;
  return {
    perEvent(events) {
      const of = (part: Part) => {
        const read = readers[part];
        const start = before[part];
        return read === undefined || start === undefined ? undefined : ((read() - start) * 1e6) / events;
      };
      const used = {
        bench: of('bench'),
        consumer: of('consumer'),
        mariadb: of('mariadb'),
        kafka: of('kafka'),
      };
      return { ...used, total: Object.values(used).reduce<number>((sum, value) => sum + (value ?? 0), 0) };
    },
  };
}
