import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One process the supervisor runs: a service instance, or a one-off command such as a migration. */
export interface ProcessSpec {
  /** Unique among the supervised, e.g. `commerce-service#2`; prefixes its echoed lines. */
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Every line the process writes lands here, so nothing it said is lost to a busy terminal. */
  logFile: string;
}

export interface ServiceSpec extends ProcessSpec {
  /** The line that says the process serves; start() resolves with its match. */
  ready: RegExp;
  /** A bound on a hung start, not a performance claim. */
  readyTimeoutMs: number;
  /**
   * Processes of one layer (`gateway`, `application`, `data-service`) started one after another
   * stop together: none of them calls another of its layer, so waiting for each in turn only adds
   * their shutdowns up (14 processes took 27 s one by one). Layers still stop last started first.
   */
  layer?: string;
}

export interface RunningProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly ready: RegExpExecArray;
}

export interface StoppedProcess {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Exited 0 on its own after SIGTERM, within the grace period. */
  clean: boolean;
}

export interface ProcessSupervisorOptions {
  /** Called with every line a process writes; the caller decides what reaches the terminal. */
  onLine: (name: string, line: string) => void;
  /** A started process exited while nobody asked it to; `tail` is its last lines. */
  onUnexpectedExit: (
    name: string,
    exit: { code: number | null; signal: NodeJS.Signals | null },
    tail: string[],
  ) => void;
}

const TAIL_LINES = 30;

interface Child {
  readonly spec: ProcessSpec;
  readonly process: ChildProcess;
  readonly tail: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly log: WriteStream;
  /** Who else reads its lines as they come (the wait for its ready line). */
  readonly readers: Set<(line: string) => void>;
  /** The service's `layer`, if it said one. */
  readonly layer: string | undefined;
  stopping: boolean;
}

/**
 * Runs a platform's processes side by side, as `npm run start:distributed` does: starts each and
 * waits for its ready line, writes each one's output to its own log file, and stops them in
 * reverse order of start (the gateways before the services behind them, those before their data
 * services; the processes of one layer together), each with SIGTERM and a grace period, then SIGKILL.
 *
 * Each child runs in its own process group with a pipe on stdin: a terminal's Ctrl-C reaches
 * only the supervisor, which then stops the children in order, and a supervisor that dies
 * without stopping them closes the pipe, which the services take as their signal to stop
 * (`stopWhenSupervisorLeaves`), so no orphan keeps a port or a registry entry.
 */
export class ProcessSupervisor {
  readonly #options: ProcessSupervisorOptions;
  readonly #running: Child[] = [];
  #stopping: Promise<StoppedProcess[]> | undefined;

  constructor(options: ProcessSupervisorOptions) {
    this.#options = options;
  }

  /** Runs a command to its end (a migration): resolves with its exit code, rejects if it cannot start. */
  async run(spec: ProcessSpec): Promise<{ code: number | null; tail: string[] }> {
    const child = this.#spawn(spec);
    const { code, signal } = await child.exited;
    await closeLog(child.log);
    // Neither a code nor a signal: it never ran ('error' on spawn), so there is no exit code to
    // return; a resolved `code: null` would read as killed by a signal.
    if (code === null && signal === null) throw new Error(`${spec.name}: ${child.tail.at(-1)}`);
    return { code, tail: child.tail };
  }

  /** Starts a service and resolves once it printed its ready line; rejects, naming why, if it exits or hangs first. */
  async start(spec: ServiceSpec): Promise<RunningProcess> {
    if (this.#stopping !== undefined) throw new Error(`cannot start ${spec.name}: the platform is stopping`);
    const child = this.#spawn(spec, spec.layer);
    this.#running.push(child);
    const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `${spec.name} printed no ready line within ${spec.readyTimeoutMs} ms; its log: ${spec.logFile}\n` +
              child.tail.join('\n'),
          ),
        );
      }, spec.readyTimeoutMs);
      const look = (line: string) => {
        const match = spec.ready.exec(line);
        if (match === null) return;
        clearTimeout(timer);
        child.readers.delete(look);
        resolve(match);
      };
      child.readers.add(look);
      void child.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(
          new Error(
            `${spec.name} exited (code ${code}, signal ${signal}) before it was ready; its log: ${spec.logFile}\n` +
              child.tail.join('\n'),
          ),
        );
      });
    });
    void child.exited.then((exit) => {
      if (!child.stopping) this.#options.onUnexpectedExit(spec.name, exit, [...child.tail]);
    });
    return { name: spec.name, pid: child.process.pid!, logFile: spec.logFile, ready };
  }

  /**
   * Stops every started process, last started first, neighbours of one layer together: SIGTERM,
   * then SIGKILL after `graceMs`.
   * Runs once however often it is called; resolves with how each one ended.
   */
  stop(graceMs: number): Promise<StoppedProcess[]> {
    this.#stopping ??= this.#stopAll(graceMs);
    return this.#stopping;
  }

  async #stopAll(graceMs: number): Promise<StoppedProcess[]> {
    const stopped: StoppedProcess[] = [];
    for (const layer of layersOf([...this.#running].reverse())) {
      stopped.push(...(await Promise.all(layer.map((child) => this.#stopOne(child, graceMs)))));
    }
    return stopped;
  }

  async #stopOne(child: Child, graceMs: number): Promise<StoppedProcess> {
    child.stopping = true;
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGTERM');
      timer = setTimeout(() => {
        killed = true;
        child.process.kill('SIGKILL');
      }, graceMs);
    }
    const { code, signal } = await child.exited;
    clearTimeout(timer);
    await closeLog(child.log);
    return { name: child.spec.name, code, signal, clean: !killed && code === 0 };
  }

  #spawn(spec: ProcessSpec, layer?: string): Child {
    const log = createWriteStream(spec.logFile, { flags: 'w' });
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const readers = new Set<(line: string) => void>();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('error', (error) => {
        tail.push(`cannot start ${spec.command}: ${error.message}`);
        resolve({ code: null, signal: null });
      });
      // 'close' rather than 'exit': every line the process wrote has been read by then.
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    const record = (line: string) => {
      log.write(`${line}\n`);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      this.#options.onLine(spec.name, line);
      for (const read of readers) read(line);
    };
    createInterface({ input: child.stdout! }).on('line', record);
    createInterface({ input: child.stderr! }).on('line', record);
    // A supervisor that dies leaves the pipe's other end closed: the child's signal to stop.
    child.stdin!.on('error', () => undefined);
    return { spec, process: child, tail, exited, log, readers, layer, stopping: false };
  }
}

/** Neighbours of one layer grouped, in the order given; a process with no layer stops alone. */
function layersOf(children: readonly Child[]): Child[][] {
  const layers: Child[][] = [];
  for (const child of children) {
    const last = layers.at(-1);
    if (last !== undefined && child.layer !== undefined && last[0]!.layer === child.layer) {
      last.push(child);
    } else {
      layers.push([child]);
    }
  }
  return layers;
}

function closeLog(log: WriteStream): Promise<void> {
  return new Promise((resolve) => (log.closed ? resolve() : log.end(resolve)));
}
