import type { Measurement } from './measure.ts';
import type { SampledInWindow } from './sampled-in-window.ts';
import type { Peer } from './peer.ts';

/** One row's round: its measurement and, for a traced row, the spans its measured window made. */
export interface RoundOfRow {
  measurement: Measurement;
  sampled: SampledInWindow | undefined;
}

const fixed = (value: number | undefined, digits: number): string =>
  value === undefined ? '–' : value.toFixed(digits);

/**
 * A row's round in one line, in the order run: what each process spent a call, the system calls a
 * call took (how many calls each socket read and write carried), where the scheduler put the two
 * main threads, the hypervisor's share of the window, and for a traced row the share of
 * its measured calls that were sampled, counted from the spans the sink received (a CLIENT and a
 * SERVER span each).
 */
export function describeRound(peer: Peer, row: RoundOfRow, calls: number): string {
  const m = row.measurement;
  const parts = [
    `${peer.id}: ${Math.round(m.callsPerSecond)} calls/s`,
    `CPU ${fixed(m.cpuMicrosPerCall, 1)} µs a call (client ${fixed(m.clientCpuMicrosPerCall, 1)}, server ${fixed(m.serverCpuMicrosPerCall, 1)})`,
    `${fixed(m.syscallsPerCall, 3)} syscalls a call`,
    `per 1,000 calls ${fixed(m.migrationsPerThousand, 2)} core moves and ${fixed(m.preemptionsPerThousand, 2)} preemptions`,
    `${fixed(m.stolenMsPerSecond, 0)} ms/s stolen`,
  ];
  if (row.sampled !== undefined) {
    parts.push(
      `sampled ${fixed(row.sampled.server / calls, 4)} of calls (server spans; client ${fixed(row.sampled.client / calls, 4)})`,
    );
  }
  return parts.join(', ');
}
