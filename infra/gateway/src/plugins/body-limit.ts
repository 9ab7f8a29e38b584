import type { Exchange } from '../exchange.ts';
import { problem } from '../problem.ts';
import { readBody } from '../request-body.ts';
import { continueIfAwaited } from './expect.ts';
import type { GatewayPlugin, Verdict } from './plugin.ts';

/**
 * Refuses (413) a body the route's limit does not allow, as soon as its declared length says so:
 * before auth and the rate limit, so such a request costs neither a token check nor a Redis trip.
 */
export class DeclaredBodyLimitPlugin implements GatewayPlugin {
  readonly name = 'declared-body-limit';

  access(exchange: Exchange): Verdict {
    const route = exchange.route!;
    const declaredLength = exchange.req.headers['content-length'];
    if (declaredLength === undefined || Number(declaredLength) <= route.bodyLimitBytes) return undefined;
    return problem(
      413,
      'body-too-large',
      'Content Too Large',
      `the body is ${declaredLength} bytes; route ${route.name} accepts at most ${route.bodyLimitBytes}`,
    );
  }
}

/**
 * Reads the body (so a failed attempt can be retried on another instance) up to the route's
 * limit, which a chunked body meets only here. Last of the access plugins: a client waiting on
 * `Expect: 100-continue` is told to send only once everything else let the request through.
 */
export class BodyReaderPlugin implements GatewayPlugin {
  readonly name = 'body-reader';

  access(exchange: Exchange): Verdict | Promise<Verdict> {
    const { req, res } = exchange;
    continueIfAwaited(req, res);
    // Most requests (every GET) have no body: passed on synchronously, with no turn of the event loop.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)
      return undefined;
    return this.#read(exchange);
  }

  async #read(exchange: Exchange): Promise<Verdict> {
    const route = exchange.route!;
    const body = await readBody(exchange.req, route.bodyLimitBytes);
    if (body === 'too-large') {
      return problem(
        413,
        'body-too-large',
        'Content Too Large',
        `route ${route.name} accepts bodies of at most ${route.bodyLimitBytes} bytes`,
      );
    }
    exchange.body = body;
    return undefined;
  }
}
