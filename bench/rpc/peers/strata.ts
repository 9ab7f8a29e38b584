import { BENCH_CLIENT } from './strata-setup.ts';
import { connectionClient } from './strata-connection-client.ts';
import { governedClient } from './strata-governed-client.ts';
import { strataVariant } from './strata-variant.ts';

export const strataPeer = strataVariant({
  id: 'strata',
  name: 'strata',
  features:
    'typed contract client (input validated before sending) → ClusterInvoker (static registry, least-pending ' +
    'balancer, per-instance breaker, retries for idempotent calls, client rate limit out of reach, 5 s deadline) → ' +
    'one TCP connection, msgpack ' +
    'frames → contract runtime (input validated, aggregate loaded, Course.revise run, in-memory unit of work, ' +
    'output validated)',
  layers: 'full',
  tls: false,
  connect: governedClient,
});

export const strataTlsPeer = strataVariant({
  id: 'strata-mtls',
  name: 'strata, mutual TLS',
  features: `the full stack over TLS 1.3 with client certificates (dev CA in .stack/certs); the server allows only ${BENCH_CLIENT}`,
  layers: 'full',
  tls: true,
  connect: governedClient,
});

/** Latency rather than throughput: one call at a time, so p50 is one round trip through every layer. */
export const strataLatencyPeer = {
  ...strataPeer,
  id: 'strata-c1',
  name: 'strata, concurrency 1',
  features: 'the strata row with one call in flight (whatever --concurrency says): a latency row',
  concurrency: 1,
};

export const strataRuntimePeer = strataVariant({
  id: 'strata-runtime',
  name: 'strata TCP + contract runtime',
  features:
    'attribution row: the full server (contract runtime over the aggregate) called through one raw TCP ' +
    'connection; no contract client or governance on the client side',
  layers: 'full',
  tls: false,
  connect: (port, tls) => connectionClient(port, tls, 'full'),
});

export const strataTransportPeer = strataVariant({
  id: 'strata-transport',
  name: 'strata TCP transport only',
  features:
    'attribution row: connectTcp/listenTcp with a handler doing what the other peers do (zod-validate, answer); ' +
    'no contract client, governance or contract runtime',
  layers: 'transport',
  tls: false,
  connect: (port, tls) => connectionClient(port, tls, 'transport'),
});
