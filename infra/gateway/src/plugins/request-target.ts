import type { Exchange } from '../exchange.ts';
import { problem } from '../problem.ts';
import { checkRequestTarget } from '../request-path.ts';
import type { GatewayPlugin, Verdict } from './plugin.ts';

/** Refuses (400) a request target that could climb out of a route's prefix; keeps the checked path. */
export class RequestTargetPlugin implements GatewayPlugin {
  readonly name = 'request-target';

  access(exchange: Exchange): Verdict {
    const target = checkRequestTarget(exchange.req.url ?? '');
    if (!target.ok) return problem(400, 'bad-path', 'Bad Request', target.reason);
    exchange.path = target.path;
    exchange.query = target.query;
    return undefined;
  }
}
