import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** An application service's main.ts running as its own process, as distributed mode runs it. */
export interface StartedApp {
  readonly child: ChildProcess;
  /** Everything it wrote, stdout and stderr, for assertions and failure messages. */
  output(): string;
  readonly exited: Promise<number | null>;
  /** Resolves with the URL of its "<service> listening on <url>" line; rejects if it exits first. */
  listening(): Promise<string>;
}

/**
 * Starts an application service's main.ts from the repository root with only PATH and `env`
 * (NestJS needs SWC for decorator metadata, docs/adr/0001).
 */
export function startApp(service: string, mainPath: string, env: Record<string, string>): StartedApp {
  const child = spawn(process.execPath, ['--import', '@strata/runtime/typescript', mainPath], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pattern = new RegExp(`${service} listening on (http://[\\d.]+:\\d+)`);
  const listening = () =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (!match) return;
        child.stdout!.off('data', check);
        resolve(match[1]!);
      };
      child.stdout!.on('data', check);
      check();
      void exited.then((code) =>
        reject(new Error(`${service} exited (${code}) before listening:\n${output}`)),
      );
    });
  return { child, output: () => output, exited, listening };
}
