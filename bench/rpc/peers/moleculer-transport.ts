import type { BrokerOptions } from 'moleculer';

export const SERVER_NODE_ID = 'bench-server';
export const CALL_TIMEOUT_MS = 5_000;

/**
 * Both nodes use Moleculer's TCP transporter: the only built-in transporter that needs no external
 * broker (NATS, Redis, …). UDP discovery is off; the client is given the server's address, as on
 * a network without multicast. Serializer is the default (JSON). The timeout and breaker are the
 * closest Moleculer has to Strata's deadlines and breaker, so they are on.
 */
export function brokerOptions(
  nodeID: string,
  listen: { port: number } | { serverPort: number },
): BrokerOptions {
  // The server listens on the port it was given; the client takes any port and is told the server's.
  const options =
    'port' in listen ? { port: listen.port } : { urls: `127.0.0.1:${listen.serverPort}/${SERVER_NODE_ID}` };
  return {
    nodeID,
    logger: false,
    transporter: { type: 'TCP', options: { udpDiscovery: false, ...options } },
    requestTimeout: CALL_TIMEOUT_MS,
    circuitBreaker: { enabled: true },
  };
}
