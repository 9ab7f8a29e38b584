// The helper processes a bench starts and waits for (an upstream, a gateway, a redirect server, a
// trace sink), each of which says on its output when it serves and often where. One starter for the
// benches that start theirs the same way, so each waits for the same thing and fails the same way.
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Spawns `command` with its stdout and stderr piped into this process, adds it to `children` at
 * once (so the caller stops it even when it never gets ready), and resolves with its pid and the
 * first match of `ready` in its output so far, both streams together. Rejects with the whole output
 * when it exits first; there is no time limit.
 */
export async function spawnUntilReady(
  children: ChildProcess[],
  command: string,
  args: readonly string[],
  ready: RegExp,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ pid: number; match: RegExpExecArray }> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    let out = '';
    let found: RegExpExecArray | null = null;
    const onData = (chunk: Buffer) => {
      // Once ready, later output is read and dropped: read, so the pipe never fills and blocks the
      // child; dropped, so a child that logs for a whole bench does not grow this string.
      if (found !== null) return;
      out += chunk.toString();
      found = ready.exec(out);
      if (found !== null) resolve(found);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${out}`)),
    );
  });
  return { pid: child.pid!, match };
}
