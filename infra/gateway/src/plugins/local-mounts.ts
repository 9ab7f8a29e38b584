import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Exchange } from '../exchange.ts';
import { ANSWERED, type GatewayPlugin, type Verdict } from './plugin.ts';

export interface LocalMount {
  /** A path prefix without a trailing slash, e.g. '/docs'. */
  readonly prefix: string;
  readonly handler: (request: IncomingMessage, response: ServerResponse) => void;
}

/**
 * Paths the gateway answers itself instead of proxying (the static docs site at `/docs`): after
 * the request-target check and before the route table, so with no auth or rate limit.
 */
export class LocalMountsPlugin implements GatewayPlugin {
  readonly name = 'local-mounts';
  readonly #mounts: readonly LocalMount[];

  constructor(mounts: readonly LocalMount[]) {
    this.#mounts = mounts;
  }

  access(exchange: Exchange): Verdict {
    const path = exchange.path;
    for (const mount of this.#mounts) {
      if (path === mount.prefix || path.startsWith(`${mount.prefix}/`)) {
        mount.handler(exchange.req, exchange.res);
        return ANSWERED;
      }
    }
    return undefined;
  }
}
