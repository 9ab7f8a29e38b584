import type { Exchange } from '../exchange.ts';
import { problem } from '../problem.ts';
import type { LoadedRoutes } from '../loaded-routes.ts';
import type { GatewayPlugin, Verdict } from './plugin.ts';

/** Matches the route (longest prefix) in the current route file; 404 when none serves the path. */
export class RoutingPlugin implements GatewayPlugin {
  readonly name = 'routing';
  readonly #routes: LoadedRoutes;

  constructor(routes: LoadedRoutes) {
    this.#routes = routes;
  }

  access(exchange: Exchange): Verdict {
    const route = this.#routes.table?.match(exchange.path);
    if (route === undefined) return problem(404, 'no-route', 'Not Found', `no route serves ${exchange.path}`);
    // In-flight requests keep this route even when a reload swaps the table.
    exchange.route = route;
    return undefined;
  }
}
