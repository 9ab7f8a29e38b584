import { isRunning, tailOf } from '../detached-process.ts';
import { progressFor } from '../progress.ts';
import { describeFailure } from '../stack-error.ts';
import { shown } from '../stack-paths.ts';
import type { StackService } from '../stack-service.ts';
import { stackServices } from '../stack-services.ts';
import type { StackTool } from '../stack-tool.ts';
import { stackTools } from '../stack-tools.ts';
import { readState, withStackLock, writeState, type StackState } from '../stack-state.ts';
import { waitUntil } from '../wait-until.ts';

type Outcome = 'reused' | 'started' | 'failed';

/**
 * Makes every service answer: reuses what already does, starts what does not, and waits until the
 * started ones are ready. Returns the process exit code.
 */
export async function up(): Promise<number> {
  return withStackLock(async () => {
    const state = readState();
    const outcomes = await Promise.all([
      ...stackServices().map((service) => bringUp(service, state)),
      ...stackTools().map((tool) => provide(tool)),
    ]);
    const failed = outcomes.filter((outcome) => outcome === 'failed').length;
    if (failed > 0) {
      console.error(
        `dev-stack: ${failed} of ${outcomes.length} services and tools are not available; see the lines above for what is missing`,
      );
      return 1;
    }
    console.log('dev-stack: all services answer and every tool is installed');
    return 0;
  });
}

async function bringUp(service: StackService, state: StackState): Promise<Outcome> {
  const progress = progressFor(service.name);
  const started = Date.now();
  const ours = state[service.name];
  if (ours !== undefined && !isRunning(ours)) {
    delete state[service.name];
    writeState(state);
  }
  const owned = state[service.name];
  try {
    await service.probe();
    progress(
      owned === undefined
        ? `${service.address} reused (already answering; not started by dev-stack, left alone by stack:down)`
        : `${service.address} up (started earlier by dev-stack, pid ${owned.pid})`,
    );
    return 'reused';
  } catch {
    // Not answering: start it below, or wait for the one an earlier `up` left starting.
  }
  try {
    let running = owned;
    if (running === undefined) {
      const launched = await service.start(progress);
      running = { ...launched, startedAt: new Date().toISOString() };
      state[service.name] = running;
      writeState(state);
      progress(
        `starting ${launched.detail ?? service.name} (pid ${launched.pid}, log ${shown(launched.logFile)})`,
      );
    } else {
      progress(`waiting for the ${service.name} dev-stack started earlier (pid ${running.pid})`);
    }
    const launched = running;
    await waitUntil(service.ready ?? service.probe, {
      what: `${service.name} to answer on ${service.address}`,
      timeoutMs: service.startTimeoutMs,
      progress,
      abortIf: () =>
        isRunning(launched) ? undefined : `${service.name} (pid ${launched.pid}) exited while starting`,
    });
    progress(`${service.address} started in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return 'started';
  } catch (error) {
    const failed = state[service.name];
    progress(`${service.address} COULD NOT START: ${describeFailure(error)}`);
    if (failed !== undefined) {
      console.error(`    end of ${shown(failed.logFile)}:\n${tailOf(failed.logFile, 20)}`);
      if (!isRunning(failed)) {
        delete state[service.name];
        writeState(state);
      }
    }
    return 'failed';
  }
}

async function provide(tool: StackTool): Promise<Outcome> {
  const progress = progressFor(tool.name);
  try {
    progress(await tool.ensure(progress));
    return 'reused';
  } catch (error) {
    progress(`COULD NOT BE INSTALLED: ${describeFailure(error)}`);
    return 'failed';
  }
}
