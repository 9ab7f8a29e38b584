import type { Redis } from 'ioredis';
import { median } from '../shared/median.ts';

/** A command's calls and the µs Redis spent executing it (`INFO commandstats`), cumulative. */
export type CommandStats = ReadonlyMap<string, { readonly calls: number; readonly usec: number }>;

/**
 * Redis' counters per command type. A script's own calls count under their own names as well as in
 * the EVALSHA that ran them; reading a request and writing its answer count in none (the rest of
 * the Redis server's CPU beside a row).
 */
export async function commandStatsOf(redis: Redis): Promise<CommandStats> {
  const stats = new Map<string, { calls: number; usec: number }>();
  for (const line of (await redis.info('commandstats')).split('\r\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line);
    if (match !== null) stats.set(match[1]!, { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

/** Calls and µs per request of each command between two readings (the INFO that reads them left out). */
export function commandsPerRequest(
  before: CommandStats,
  after: CommandStats,
  requests: number,
): CommandStats {
  const perRequest = new Map<string, { calls: number; usec: number }>();
  for (const [name, { calls, usec }] of after) {
    if (name === 'info') continue;
    const at = before.get(name) ?? { calls: 0, usec: 0 };
    if (calls > at.calls)
      perRequest.set(name, { calls: (calls - at.calls) / requests, usec: (usec - at.usec) / requests });
  }
  return perRequest;
}

/** One row's line: each command's calls and µs executing per request, medians of its rounds, dearest first. */
export function commandsLine(name: string, rounds: readonly CommandStats[]): string {
  const names = new Set(rounds.flatMap((round) => [...round.keys()]));
  const commands = [...names].map((command) => {
    const figure = (key: 'calls' | 'usec') => median(rounds.map((round) => round.get(command)?.[key] ?? 0));
    return { command, calls: figure('calls'), usec: figure('usec') };
  });
  commands.sort((a, b) => b.usec - a.usec);
  return `Redis commands per request, ${name} (median of rounds; calls, µs executing): ${commands
    .filter(({ usec }) => usec >= 0.005)
    .map(({ command, calls, usec }) => `${command} ${calls.toFixed(4)}, ${usec.toFixed(2)} µs`)
    .join('; ')}`;
}
