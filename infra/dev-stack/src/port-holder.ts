import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { StackError } from './stack-error.ts';
import { isPortOpen } from './tcp-port.ts';
import { which } from './which.ts';

/**
 * Who listens on a TCP port, as "name (pid N, command line)", from `ss`; undefined when that cannot
 * be told (no `ss`, or a process of another user, whose pid `ss` does not show to non-root).
 */
export function portHolder(port: number): string | undefined {
  if (which('ss') === undefined) return undefined;
  const listing = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' }).stdout ?? '';
  const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(listing);
  if (match === null) return undefined;
  const [, name, pid] = match;
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    // Gone already, or not ours to read: the name and pid are still worth showing.
  }
  const shortened = commandLine.length > 120 ? `${commandLine.slice(0, 117)}...` : commandLine;
  return `${name} (pid ${pid}${shortened === '' ? '' : `: ${shortened}`})`;
}

/**
 * Refuses to start a service over ports something else already holds, naming that something, so
 * the operator does not have to go and find it.
 */
export async function ensurePortsFree(
  host: string,
  ports: { port: number; purpose: string }[],
  service: string,
): Promise<void> {
  for (const { port, purpose } of ports) {
    if (!(await isPortOpen(host, port))) continue;
    const holder = portHolder(port);
    throw new StackError(
      `${host}:${port} (${service}'s ${purpose} port) is taken by ${holder ?? 'another process'}, which does not answer as ${service}`,
      holder === undefined
        ? `find it with: ss -ltnp 'sport = :${port}', stop it, and run npm run stack:up again`
        : `stop it (kill ${/pid (\d+)/.exec(holder)?.[1]}) or move it to another port, then run npm run stack:up again`,
    );
  }
}
