import type { Exchange } from '../exchange.ts';
import { problem } from '../problem.ts';
import { ANSWERED, type GatewayPlugin, type Verdict } from './plugin.ts';

/**
 * Every method the gateway forwards. A route forwards them all and leaves the method check to the
 * upstream (404/405), so a preflight allows exactly these unless the route file narrows the list:
 * a hand-kept list was how PATCH went missing while studio-api served PATCH operations.
 */
export const FORWARDED_METHODS: readonly string[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
];

/**
 * The route's CORS plugin: adds the allow headers to the response headers for an allowed origin,
 * and answers a preflight itself (204) or refuses one from another origin (403).
 */
export class CorsPlugin implements GatewayPlugin {
  readonly name = 'cors';

  access(exchange: Exchange): Verdict {
    const { req, res, route, responseHeaders } = exchange;
    const cors = route!.plugins.cors;
    const origin = req.headers.origin;
    if (cors === undefined || origin === undefined) return undefined;
    const allowed = cors.origins.includes('*') || cors.origins.includes(origin);
    if (allowed) {
      responseHeaders['access-control-allow-origin'] =
        cors.origins.includes('*') && !cors.credentials ? '*' : origin;
      responseHeaders['vary'] = 'Origin';
      if (cors.credentials) responseHeaders['access-control-allow-credentials'] = 'true';
    }
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined)
      return undefined;
    if (!allowed) {
      return problem(
        403,
        'cors-origin',
        'Forbidden',
        `origin ${origin} is not allowed on route ${route!.name}`,
      );
    }
    res.writeHead(204, {
      ...responseHeaders,
      'access-control-allow-methods': (cors.methods ?? FORWARDED_METHODS).join(', '),
      'access-control-allow-headers': cors.headers.join(', '),
      'access-control-max-age': String(cors.maxAgeSeconds),
      'x-request-id': exchange.requestId,
    });
    res.end();
    return ANSWERED;
  }
}
