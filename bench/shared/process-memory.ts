// The memory a process holds, read from Linux's /proc: the benches that report memory report the
// resident set, what the process really occupies of the machine's RAM. One reader for every bench,
// so an RSS figure means the same field read the same way in each bench's output.
import { readFileSync } from 'node:fs';

/**
 * A process's resident set size in KiB (VmRSS of /proc/<pid>/status). Throws when the process is
 * gone, or has no VmRSS: a kernel thread, or a zombie whose memory is already freed.
 */
export function residentKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}
