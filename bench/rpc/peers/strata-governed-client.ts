import {
  ClusterInvoker,
  connectTcp,
  createContractClient,
  RedialingConnection,
  StaticRegistry,
  type ClientTls,
} from '@strata/rpc';
import type { PeerClient } from '../peer.ts';
import { CALL_TIMEOUT_MS, caller } from './strata-call.ts';
import { BENCH_SERVICE, benchContract } from './strata-contract.ts';

/** What application services use: the typed contract client over governance over the TCP transport. */
export async function governedClient(port: number, tls: ClientTls | false): Promise<PeerClient> {
  const registry = new StaticRegistry([
    { id: `${BENCH_SERVICE}-1`, service: BENCH_SERVICE, host: '127.0.0.1', port, tls: tls !== false },
  ]);
  const invoker = new ClusterInvoker({
    registry,
    balancing: { default: 'least-pending' },
    // On, as every data service's callers have it (the contracts' call policies), but out of the
    // bench's reach: each call pays the token bucket, none is refused.
    rateLimit: { default: { ratePerSecond: 1_000_000_000, burst: 1_000_000 } },
    connect: (instance) =>
      new RedialingConnection(
        () => connectTcp({ host: instance.host, port: instance.port, tls }),
        `${instance.service} ${instance.id} at ${instance.host}:${instance.port}`,
      ),
  });
  const client = createContractClient(benchContract, {
    service: BENCH_SERVICE,
    invoke: (request, options) => invoker.invoke(request, options),
    defaultTimeoutMs: CALL_TIMEOUT_MS,
  });
  return {
    call: (draft) => client.Course.revise(draft.id, draft, { caller }),
    async close() {
      await invoker.close();
      await registry.close();
    },
  };
}
