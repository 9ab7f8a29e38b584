import { performance } from 'node:perf_hooks';
import { pino, type DestinationStream } from 'pino';

/** A line waits at most this long for company before it is written. */
export const LOG_FLUSH_INTERVAL_MS = 20;
/** Under load, lines go to stdout in writes of about this many bytes. */
export const LOG_BUFFER_BYTES = 4096;
/** pino's number for `warn`: a line at this level or above is written at once. */
const WARN = 40;

let stdout: GatheredStdout | undefined;

/**
 * stdout for a process's JSON lines, gathered the way nginx gathers an access log (`buffer=`,
 * `flush=`). One write per line cost an HTTP hop ~5 % of its CPU: pino's default destination hands
 * each line to libuv's thread pool, a thread wake-up each (ADR 0052). Here a line after a quiet
 * spell is written at once, so a process's few lines (its start, the `serving on` line a launcher
 * waits for) are never held; lines that follow within 20 ms are gathered and written together, in
 * one system call per ~4 KiB, on the logging thread. A warning or an error is written at once with
 * every line before it, so the order holds and what an operator needs first never waits. What is
 * gathered is written when the process exits, crash included; a process killed outright (SIGKILL,
 * the OOM killer) loses at most its last 20 ms of lines. One per process: every logger's lines go
 * through it, in the order they were logged.
 */
export function logDestination(): DestinationStream {
  stdout ??= new GatheredStdout();
  return stdout;
}

class GatheredStdout implements DestinationStream {
  // pino sets `lastLevel` before each write to a destination that asks for it this way.
  readonly [pino.symbols.needsMetadataGsym] = true;
  lastLevel = 0;
  // Synchronous: the chunks are few, and a stdout reader that stalls then stalls the process, as a
  // full pipe stalls any writer, instead of growing its memory without bound.
  readonly #stdout = pino.destination({ dest: 1, sync: true });
  #gathered = '';
  #lastWrite = Number.NEGATIVE_INFINITY;
  #due: NodeJS.Timeout | undefined;
  readonly #writeWhenDue = () => this.flush();

  constructor() {
    process.on('exit', () => this.flush());
  }

  write(line: string): void {
    this.#gathered += line;
    if (this.lastLevel >= WARN || this.#gathered.length >= LOG_BUFFER_BYTES) return this.flush();
    if (this.#due !== undefined) return;
    const quiet = performance.now() - this.#lastWrite;
    if (quiet >= LOG_FLUSH_INTERVAL_MS) return this.flush();
    this.#due = setTimeout(this.#writeWhenDue, LOG_FLUSH_INTERVAL_MS - quiet).unref();
  }

  /** Everything gathered so far, written now; what `logger.flush()` calls. */
  flush(done?: (error?: Error) => void): void {
    clearTimeout(this.#due);
    this.#due = undefined;
    this.#lastWrite = performance.now();
    if (this.#gathered.length > 0) {
      const chunk = this.#gathered;
      this.#gathered = '';
      this.#stdout.write(chunk);
    }
    done?.();
  }
}
