import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { ProcessSupervisor, type ServiceSpec } from '../src/topology-runner/process-supervisor.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
/** A bound on a hung child, never a claim about how fast anything is. */
const HANG_BOUND_MS = 15_000;
const TEST_TIMEOUT_MS = 30_000;

let dir: string;
let supervisors: ProcessSupervisor[];
let strays: Array<ChildProcess | number>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'strata-supervisor-'));
  supervisors = [];
  strays = [];
});

afterEach(async () => {
  // A failed test must not leave its children running into the next one.
  await Promise.all(supervisors.map((supervisor) => supervisor.stop(1_000)));
  for (const stray of strays) {
    try {
      if (typeof stray === 'number') process.kill(stray, 'SIGKILL');
      else stray.kill('SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
  await rm(dir, { recursive: true, force: true });
});

interface Watched {
  supervisor: ProcessSupervisor;
  lines: Array<[string, string]>;
  unexpected: Array<{ name: string; code: number | null; signal: NodeJS.Signals | null; tail: string[] }>;
}

function watchedSupervisor(): Watched {
  const lines: Watched['lines'] = [];
  const unexpected: Watched['unexpected'] = [];
  const supervisor = new ProcessSupervisor({
    onLine: (name, line) => lines.push([name, line]),
    onUnexpectedExit: (name, exit, tail) => unexpected.push({ name, ...exit, tail }),
  });
  supervisors.push(supervisor);
  return { supervisor, lines, unexpected };
}

/** A service that is node running `script` (CommonJS, via -e), ready when it prints `ready`. */
function nodeService(name: string, script: string, overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name,
    command: process.execPath,
    args: ['-e', script],
    cwd: dir,
    env: {},
    logFile: path.join(dir, `${name}.log`),
    ready: /^ready$/,
    readyTimeoutMs: HANG_BOUND_MS,
    ...overrides,
  };
}

/** Stays up until SIGTERM; then records its name in `file` and exits 0. */
function politeScript(name: string, file: string): string {
  return `
    process.on('SIGTERM', () => {
      require('node:fs').appendFileSync(${JSON.stringify(file)}, ${JSON.stringify(name + '\n')});
      process.exit(0);
    });
    setInterval(() => undefined, 60000);
    console.log('ready');
  `;
}

function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An orphan that exited is a zombie until init reaps it: gone all the same.
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function exitsWithin(pid: number, boundMs: number): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

/** Spawns node outside any ProcessSupervisor and collects what it prints until it exits. */
function spawnNode(
  args: string[],
  env: Record<string, string>,
  stdio: StdioOptions,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, args, { cwd: dir, env, stdio });
  strays.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    const bound = setTimeout(
      () => reject(new Error(`node ${args.join(' ')} still runs after ${HANG_BOUND_MS} ms:\n${output}`)),
      HANG_BOUND_MS,
    );
    child.once('close', (code) => {
      clearTimeout(bound);
      resolve(code);
    });
  });
  return { child, output: () => output, exited };
}

describe('ProcessSupervisor', () => {
  it(
    'resolves start() with the ready match, and logs and passes on every stdout and stderr line',
    async () => {
      const { supervisor, lines } = watchedSupervisor();
      const running = await supervisor.start(
        nodeService(
          'catalog-service#1',
          `
            // Before the ready line: stop() may signal the moment it is read. Exit once the line is
            // out: on a pipe, process.exit() may drop a write still queued.
            process.on('SIGTERM', () => process.stdout.write('draining\\n', () => process.exit(0)));
            console.log('booting');
            console.error('warning: no cache configured');
            console.log('listening on port 4321');
            setInterval(() => undefined, 60000);
          `,
          { ready: /listening on port (\d+)/ },
        ),
      );
      expect(running.name).toBe('catalog-service#1');
      expect(running.ready[1]).toBe('4321');
      expect(running.logFile).toBe(path.join(dir, 'catalog-service#1.log'));
      expect(isAlive(running.pid)).toBe(true);

      // After stop() every line has been read and the log closed; stdout and stderr are separate
      // pipes, so only the order within each is certain.
      await supervisor.stop(HANG_BOUND_MS);
      const expected = ['booting', 'draining', 'listening on port 4321', 'warning: no cache configured'];
      expect(lines.map(([, line]) => line).sort()).toEqual(expected);
      expect(lines.every(([name]) => name === 'catalog-service#1')).toBe(true);
      const logged = (await readFile(running.logFile, 'utf8')).split('\n');
      expect(logged.pop()).toBe('');
      expect(logged.sort()).toEqual(expected);
      expect(logged.filter((line) => line !== 'warning: no cache configured')).toEqual([
        'booting',
        'draining',
        'listening on port 4321',
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'rejects start() when the process exits before its ready line, naming it, its code, its log and last lines',
    async () => {
      const { supervisor } = watchedSupervisor();
      const spec = nodeService(
        'ledger-data',
        `console.log('reading config'); console.error('STRATA_DATABASE_URL is not set'); process.exit(2);`,
      );
      const error = await rejection(supervisor.start(spec));
      expect(error.message).toContain('ledger-data exited (code 2, signal null) before it was ready');
      expect(error.message).toContain(spec.logFile);
      expect(error.message).toContain('reading config');
      expect(error.message).toContain('STRATA_DATABASE_URL is not set');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'rejects start() when no ready line comes within readyTimeoutMs, naming the log and last lines',
    async () => {
      const { supervisor } = watchedSupervisor();
      const spec = nodeService(
        'stuck-service',
        `console.log('waiting for a broker that never answers'); setInterval(() => undefined, 60000);`,
        { readyTimeoutMs: 500 },
      );
      const error = await rejection(supervisor.start(spec));
      expect(error.message).toContain('stuck-service printed no ready line within 500 ms');
      expect(error.message).toContain(spec.logFile);
      expect(error.message).toContain('waiting for a broker that never answers');
      // The hung process is still the supervisor's to stop.
      const [stopped] = await supervisor.stop(HANG_BOUND_MS);
      expect(stopped).toMatchObject({ name: 'stuck-service', signal: 'SIGTERM', clean: false });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops last started first with SIGTERM, reports clean exits, and stops only once however often asked',
    async () => {
      const { supervisor, unexpected } = watchedSupervisor();
      const order = path.join(dir, 'stop-order');
      for (const name of ['data-service', 'app-service', 'gateway']) {
        await supervisor.start(nodeService(name, politeScript(name, order)));
      }
      const [first, second] = await Promise.all([supervisor.stop(HANG_BOUND_MS), supervisor.stop(10)]);
      expect(first).toEqual([
        { name: 'gateway', code: 0, signal: null, clean: true },
        { name: 'app-service', code: 0, signal: null, clean: true },
        { name: 'data-service', code: 0, signal: null, clean: true },
      ]);
      expect(second).toBe(first);
      expect(await supervisor.stop(HANG_BOUND_MS)).toBe(first);
      expect(await readFile(order, 'utf8')).toBe('gateway\napp-service\ndata-service\n');
      expect(unexpected).toEqual([]);
      await expect(supervisor.start(nodeService('late', politeScript('late', order)))).rejects.toThrow(
        'cannot start late: the platform is stopping',
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops the neighbours of one layer together, and the layers last started first',
    async () => {
      const { supervisor } = watchedSupervisor();
      const order = path.join(dir, 'stop-order');
      // Each application service exits only once the other has been told to stop: one after the
      // other, the first would wait out the grace period and be killed.
      const waitsFor = (name: string, other: string) => `
        process.on('SIGTERM', () => {
          const fs = require('node:fs');
          fs.appendFileSync(${JSON.stringify(order)}, ${JSON.stringify(name + '\n')});
          setInterval(() => {
            if (fs.readFileSync(${JSON.stringify(order)}, 'utf8').includes(${JSON.stringify(other)})) process.exit(0);
          }, 20);
        });
        setInterval(() => undefined, 60000);
        console.log('ready');
      `;
      await supervisor.start(nodeService('data-service', politeScript('data-service', order)));
      for (const [name, other] of [
        ['account-api', 'learner-api'],
        ['learner-api', 'account-api'],
      ] as const) {
        await supervisor.start(nodeService(name, waitsFor(name, other), { layer: 'application' }));
      }
      await supervisor.start(nodeService('gateway', politeScript('gateway', order), { layer: 'gateway' }));

      expect(await supervisor.stop(HANG_BOUND_MS)).toEqual([
        { name: 'gateway', code: 0, signal: null, clean: true },
        { name: 'learner-api', code: 0, signal: null, clean: true },
        { name: 'account-api', code: 0, signal: null, clean: true },
        { name: 'data-service', code: 0, signal: null, clean: true },
      ]);
      const stopped = (await readFile(order, 'utf8')).trim().split('\n');
      expect(stopped[0]).toBe('gateway');
      expect(stopped.slice(1, 3).sort()).toEqual(['account-api', 'learner-api']);
      expect(stopped[3]).toBe('data-service');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'SIGKILLs a process that ignores SIGTERM once the grace period is over, and reports it unclean',
    async () => {
      const { supervisor } = watchedSupervisor();
      const running = await supervisor.start(
        nodeService(
          'stubborn',
          `process.on('SIGTERM', () => console.log('not now')); setInterval(() => undefined, 60000); console.log('ready');`,
        ),
      );
      expect(await supervisor.stop(300)).toEqual([
        { name: 'stubborn', code: null, signal: 'SIGKILL', clean: false },
      ]);
      expect(isAlive(running.pid)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports a ready process that exits by itself through onUnexpectedExit, and none that stop() stopped',
    async () => {
      const { supervisor, unexpected } = watchedSupervisor();
      const order = path.join(dir, 'stop-order');
      await supervisor.start(nodeService('steady', politeScript('steady', order)));
      await supervisor.start(
        nodeService('flaky', `console.log('ready'); console.log('lost the etcd lease'); process.exit(3);`),
      );
      await waitFor('the flaky process reported through onUnexpectedExit', () => unexpected.length > 0, {
        timeoutMs: HANG_BOUND_MS,
        everyMs: 20,
      });
      expect(unexpected).toEqual([
        { name: 'flaky', code: 3, signal: null, tail: ['ready', 'lost the etcd lease'] },
      ]);

      const stopped = await supervisor.stop(HANG_BOUND_MS);
      expect(stopped).toEqual([
        { name: 'flaky', code: 3, signal: null, clean: false },
        { name: 'steady', code: 0, signal: null, clean: true },
      ]);
      expect(await readFile(order, 'utf8')).toBe('steady\n');
      expect(unexpected.map(({ name }) => name)).toEqual(['flaky']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'runs a one-off command to its end and resolves with its exit code and last lines',
    async () => {
      const { supervisor } = watchedSupervisor();
      const logFile = path.join(dir, 'migrate.log');
      const ok = await supervisor.run({
        name: 'ledger migrate',
        command: process.execPath,
        args: ['-e', `console.log('applied 3 migrations');`],
        cwd: dir,
        env: {},
        logFile,
      });
      expect(ok).toEqual({ code: 0, tail: ['applied 3 migrations'] });
      expect(await readFile(logFile, 'utf8')).toBe('applied 3 migrations\n');

      const failed = await supervisor.run({
        name: 'ledger migrate',
        command: process.execPath,
        args: ['-e', `console.error('migration 4 failed: duplicate column'); process.exit(4);`],
        cwd: dir,
        env: {},
        logFile,
      });
      expect(failed).toEqual({ code: 4, tail: ['migration 4 failed: duplicate column'] });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'rejects run() naming the reason when the command cannot start',
    async () => {
      const { supervisor } = watchedSupervisor();
      const missing = path.join(dir, 'no-such-command');
      await expect(
        supervisor.run({
          name: 'seed',
          command: missing,
          args: [],
          cwd: dir,
          env: {},
          logFile: path.join(dir, 'seed.log'),
        }),
      ).rejects.toThrow(`seed: cannot start ${missing}: spawn ${missing} ENOENT`);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('stopWhenSupervisorLeaves', () => {
  const child = path.join(FIXTURES, 'supervised-child.ts');

  it(
    'stops a supervised process whose supervisor was SIGKILLed, and the process then exits by itself',
    async () => {
      const stopMarker = path.join(dir, 'stopped');
      const supervisorProcess = spawnNode(
        [path.join(FIXTURES, 'supervisor.ts'), path.join(dir, 'orphan-candidate.log'), stopMarker],
        {},
        ['ignore', 'pipe', 'pipe'],
      );
      const pid = await new Promise<number>((resolve, reject) => {
        const bound = setTimeout(
          () => reject(new Error(`the supervisor printed no grandchild pid:\n${supervisorProcess.output()}`)),
          HANG_BOUND_MS,
        );
        createInterface({ input: supervisorProcess.child.stdout! }).on('line', (line) => {
          const match = /^grandchild (\d+)$/.exec(line);
          if (match === null) return;
          clearTimeout(bound);
          resolve(Number(match[1]));
        });
        void supervisorProcess.exited.then(() =>
          reject(new Error(`the supervisor exited early:\n${supervisorProcess.output()}`)),
        );
      });
      strays.push(pid);
      expect(isAlive(pid)).toBe(true);
      expect(existsSync(stopMarker)).toBe(false);

      supervisorProcess.child.kill('SIGKILL');
      await supervisorProcess.exited;
      expect(await exitsWithin(pid, HANG_BOUND_MS)).toBe(true);
      expect(await readFile(stopMarker, 'utf8')).toBe('the supervisor is gone (stdin closed)');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'leaves a process alone when STRATA_SUPERVISED is not 1, even when its stdin (/dev/null) ends',
    async () => {
      const unsupervised = spawnNode([child, 'until-stdin-ends'], {}, ['ignore', 'pipe', 'pipe']);
      expect(await unsupervised.exited).toBe(0);
      expect(unsupervised.output()).toBe('stdin ended\n');

      // The same process told it is supervised stops on that same end of stdin.
      const supervised = spawnNode([child, 'until-stdin-ends'], { STRATA_SUPERVISED: '1' }, [
        'ignore',
        'pipe',
        'pipe',
      ]);
      expect(await supervised.exited).toBe(0);
      expect(supervised.output()).toBe('stopped: the supervisor is gone (stdin closed)\nstdin ended\n');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'does not keep a supervised process alive once its work is done, though its supervisor is still there',
    async () => {
      const finishing = spawnNode([child, 'finish'], { STRATA_SUPERVISED: '1' }, ['pipe', 'pipe', 'pipe']);
      // The test holds the pipe's write end open throughout, as a live supervisor does.
      expect(await finishing.exited).toBe(0);
      expect(finishing.output()).toBe('work done\n');
      finishing.child.stdin!.end();
    },
    TEST_TIMEOUT_MS,
  );
});
