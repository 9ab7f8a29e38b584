import { listenTcp, type RpcHandler, type RpcListener } from '@strata/rpc';
import type { DataService } from '../../src/data-service/index.ts';
import type { RunningDataService } from './running-data-service.ts';

/**
 * The data services an application service's main.ts (under `startApp`) reaches as distributed
 * mode does with `STRATA_REGISTRY=static`: each on a TCP listener of its own, in plaintext.
 */
export interface StaticDataServices {
  /**
   * Serves `running` on a free port of its own, for the app to reach at the address variable
   * `staticAddress` (e.g. 'STRATA_COMMERCE_ADDRESS'); `handler` in place of its own to watch its
   * calls. From here on `close` stops it, even when listening fails.
   */
  serve(staticAddress: string, running: RunningDataService<DataService>, handler?: RpcHandler): Promise<void>;
  /** Where the one named `service` (e.g. 'commerce-service') listens: to register it elsewhere. */
  port(service: string): number;
  /** The environment that points an app at every one served. */
  env(): Record<string, string>;
  /** Drains every listener, then stops every service (and deletes its database). */
  close(): Promise<void>;
}

export function staticDataServices(): StaticDataServices {
  const served = new Map<string, { staticAddress: string; listener: RpcListener }>();
  const stops: (() => Promise<void>)[] = [];
  return {
    async serve(staticAddress, running, handler = running.service.handler) {
      stops.push(() => running.stop());
      served.set(running.service.name, { staticAddress, listener: await listenTcp({ handler, tls: false }) });
    },
    port(service) {
      const found = served.get(service);
      if (found === undefined) throw new Error(`${service} is not served here`);
      return found.listener.address.port;
    },
    env: () => ({
      STRATA_REGISTRY: 'static',
      ...Object.fromEntries(
        [...served.values()].map(({ staticAddress, listener }) => [
          staticAddress,
          `${listener.address.host}:${listener.address.port}`,
        ]),
      ),
      STRATA_RPC_PLAINTEXT: '1',
    }),
    async close() {
      for (const { listener } of served.values()) await listener.drain();
      for (const stop of stops) await stop();
    },
  };
}
