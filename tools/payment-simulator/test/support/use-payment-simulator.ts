import { afterAll, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { startSimulatorProcess, type SimulatorProcess } from './start-simulator-process.ts';

/**
 * One payment simulator process for the calling test file: started before its tests, stopped
 * after them. Call it at the top of the file (it registers `beforeAll`/`afterAll`); read `url`
 * inside tests or hooks, once it is running. A service under test that needs a provider gets the
 * real HTTP one pointed at it, never a fake. Its webhook secret is a fresh random one unless `env`
 * names one (PAYMENT_SIMULATOR_WEBHOOK_SECRET); it sends webhooks only where `env` says.
 */
export function usePaymentSimulator(env: Record<string, string> = {}): {
  readonly url: string;
  readonly process: SimulatorProcess;
} {
  let running: SimulatorProcess | undefined;
  beforeAll(async () => {
    running = await startTestSimulator(env);
  });
  afterAll(async () => {
    await running?.stop();
  });
  const started = (): SimulatorProcess => {
    if (running === undefined)
      throw new Error('the payment simulator is not started yet: read it in a test or hook');
    return running;
  };
  return {
    get url() {
      return started().url;
    },
    get process() {
      return started();
    },
  };
}

/** A simulator process for a harness that starts and stops its own (a fresh webhook secret unless `env` names one). */
export function startTestSimulator(env: Record<string, string> = {}): Promise<SimulatorProcess> {
  return startSimulatorProcess({ PAYMENT_SIMULATOR_WEBHOOK_SECRET: randomBytes(24).toString('hex'), ...env });
}
