import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BootedService {
  child: ChildProcess;
  port: number;
  instance: string | null;
  /** Every log line the process wrote, for the assertion messages of a failing test. */
  lines: string[];
  exited: Promise<number | null>;
}

/** Starts a data service's main.ts as its own process and waits for its "serving" log line. */
export function bootMain(mainPath: string, env: Record<string, string>): Promise<BootedService> {
  const child = spawn(process.execPath, [mainPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const entry = JSON.parse(line) as { msg: string; port?: number; instance?: string | null };
      if (entry.msg.includes(' serving on ') && entry.port !== undefined) {
        resolve({ child, port: entry.port, instance: entry.instance ?? null, lines, exited });
      }
    });
    void exited.then((code) =>
      reject(new Error(`${mainPath} exited with ${code} before serving:\n${lines.join('\n')}`)),
    );
  });
}
