import type { Peer } from './peer.ts';
import { bareLatencyPeer, barePeer, bareTablePeer } from './peers/bare.ts';
import { grpcPeer } from './peers/grpc.ts';
import { moleculerPeer } from './peers/moleculer.ts';
import { nestPeer } from './peers/nest.ts';
import {
  strataMeteredControlPeer,
  strataMeteredPeer,
  strataObservedPeer,
  strataSampledPeer,
  strataUnsampledPeer,
} from './peers/strata-observed.ts';
import {
  strataLatencyPeer,
  strataPeer,
  strataRuntimePeer,
  strataTlsPeer,
  strataTransportPeer,
} from './peers/strata.ts';

/** Run order; Strata first, since it is the baseline. */
export const PEERS: readonly Peer[] = [
  strataPeer,
  grpcPeer,
  moleculerPeer,
  nestPeer,
  barePeer,
  bareTablePeer,
  strataTlsPeer,
  strataRuntimePeer,
  strataTransportPeer,
  strataLatencyPeer,
  bareLatencyPeer,
  strataMeteredPeer,
  strataMeteredControlPeer,
  strataObservedPeer,
  strataSampledPeer,
  strataUnsampledPeer,
];

/** The row every ratio is taken against. */
export const BASELINE_NAME = strataPeer.name;

/** The row the traced rows and the control are read against: tracing on ÷ off. */
export const METRICS_PEER = strataMeteredPeer;

/** The rows read against METRICS_PEER, the control first: their ratios are printed side by side. */
export const AGAINST_METRICS: readonly Peer[] = [
  strataMeteredControlPeer,
  strataObservedPeer,
  strataSampledPeer,
  strataUnsampledPeer,
];

/** The row whose processes the sampling phases start (run.ts --sampling-seconds): parent-based samplers. */
export const SAMPLING_PHASES_PEER = strataSampledPeer;

export function peerById(id: string): Peer | undefined {
  return PEERS.find((peer) => peer.id === id);
}
