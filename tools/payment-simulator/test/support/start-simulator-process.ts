import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface SimulatorProcess {
  /** The simulator's base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  child: ChildProcess;
  /** Every line it wrote so far (JSON log lines, and stderr), for assertions and failure messages. */
  lines: string[];
  /** Its log lines parsed, stdout only. */
  logEntries(): { msg: string; [field: string]: unknown }[];
  /** SIGTERM, then waits for the exit and the end of its output; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the payment simulator as its own process on a free port (`PAYMENT_SIMULATOR_PORT=0`) and
 * resolves once it logs `serving on`. `env` adds or overrides PAYMENT_SIMULATOR_* variables
 * (webhook URL and secret, chaos, retry timings).
 */
export function startSimulatorProcess(env: Record<string, string>): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [MAIN], {
    // Supervised: if the test process dies without stopping it, its stdin ends and it stops too.
    env: { ...process.env, PAYMENT_SIMULATOR_PORT: '0', STRATA_SUPERVISED: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  // 'close', not 'exit': by then its output is read to the end, so a test sees its last log lines.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const logEntries = () =>
    lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (!line.includes(' serving on ')) return;
      const entry = JSON.parse(line) as { url: string; port: number };
      resolve({ url: entry.url, port: entry.port, child, lines, logEntries, stop });
    });
    void exited.then((code) =>
      reject(new Error(`the payment simulator exited with ${code} before serving:\n${lines.join('\n')}`)),
    );
  });
}
