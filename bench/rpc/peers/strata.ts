import { connectionClient } from './strata-connection-client.ts';
import { strataVariant } from './strata-variant.ts';

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
