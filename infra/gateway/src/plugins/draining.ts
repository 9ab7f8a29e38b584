import { problem } from '../problem.ts';
import type { GatewayPlugin, Verdict } from './plugin.ts';

const shuttingDown = problem(
  503,
  'shutting-down',
  'Service Unavailable',
  'this gateway instance is shutting down; retry',
);

/** Refuses new requests once the gateway is stopping, while those in flight finish. */
export class DrainingPlugin implements GatewayPlugin {
  readonly name = 'draining';
  stopping = false;

  access(): Verdict {
    return this.stopping ? shuttingDown : undefined;
  }
}
