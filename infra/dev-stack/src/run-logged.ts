import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Progress } from './progress.ts';
import { tailOf } from './detached-process.ts';
import { shown } from './stack-paths.ts';

export interface RunOptions {
  what: string;
  logFile: string;
  timeoutMs: number;
  progress: Progress;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const progressEveryMs = 15_000;

/**
 * Runs a slow one-off command (a Maven download, an apt-get install) in the foreground with its
 * output in a log file, a progress line now and then, and a bound on how long it may take.
 */
export function runLogged(command: string, args: readonly string[], options: RunOptions): Promise<void> {
  // The log's folder may not exist yet: a test fetching the broker jars beside a Kafka it did not start.
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'a');
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', log, log],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    const ticker = setInterval(() => {
      options.progress(
        `still ${options.what} (${Math.round((Date.now() - started) / 1000)}s, log ${shown(options.logFile)})`,
      );
    }, progressEveryMs);
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
    const finish = (error?: Error): void => {
      clearInterval(ticker);
      clearTimeout(timer);
      closeSync(log);
      if (error === undefined) resolve();
      else reject(error);
    };
    child.once('error', (error) => finish(new Error(`could not run ${command}: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) return finish();
      const how =
        signal === null
          ? `exit code ${code}`
          : `signal ${signal} (time limit ${Math.round(options.timeoutMs / 1000)}s)`;
      finish(
        new Error(
          `${options.what} failed: ${command} ended with ${how}; end of ${shown(options.logFile)}:\n${tailOf(options.logFile, 15)}`,
        ),
      );
    });
  });
}
