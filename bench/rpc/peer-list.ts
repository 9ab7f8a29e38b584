import type { Peer } from './peer.ts';
import { barePeer } from './peers/bare.ts';
import { grpcPeer } from './peers/grpc.ts';
import { moleculerPeer } from './peers/moleculer.ts';
import { nestPeer } from './peers/nest.ts';
import { strataRuntimePeer, strataTransportPeer } from './peers/strata.ts';

/**
 * Run order. The full-stack Strata rows (the baseline 'strata' and 'strata-mtls') join once
 * @strata/rpc exports its governance (ClusterInvoker, StaticRegistry, RedialingConnection);
 * until then ratios read n/a.
 */
export const PEERS: readonly Peer[] = [
  grpcPeer,
  moleculerPeer,
  nestPeer,
  barePeer,
  strataRuntimePeer,
  strataTransportPeer,
];

/** The row every ratio is taken against. */
export const BASELINE_NAME = 'strata';

export function peerById(id: string): Peer | undefined {
  return PEERS.find((peer) => peer.id === id);
}
