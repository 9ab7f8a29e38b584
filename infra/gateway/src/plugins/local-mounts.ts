import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Exchange } from '../exchange.ts';
import { ANSWERED, type GatewayPlugin, type Verdict } from './plugin.ts';

export interface LocalMount {
  /** A path prefix without a trailing slash, e.g. '/docs'. */
  readonly prefix: string;
  readonly handler: (request: IncomingMessage, response: ServerResponse) => void;
}

/** The mount that answers `path`: the same test for the plugin and the front lane. */
export function mountOf(path: string, mounts: readonly LocalMount[]): LocalMount | undefined {
  for (const mount of mounts) if (path === mount.prefix || path.startsWith(`${mount.prefix}/`)) return mount;
  return undefined;
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
    const mount = mountOf(exchange.path, this.#mounts);
    if (mount === undefined) return undefined;
    // The front lane leaves a mount's paths to node:http (`leavesPath`), so these are node's.
    mount.handler(exchange.req as IncomingMessage, exchange.res as ServerResponse);
    return ANSWERED;
  }
}
