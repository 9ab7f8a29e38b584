import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Exchange } from '../exchange.ts';
import type { GatewayResponse } from '../http-surface.ts';
import { problem } from '../problem.ts';
import type { GatewayPlugin, Verdict } from './plugin.ts';

// Only node:http's requests: the front lane hands any request with an Expect header to node:http.
const awaitingContinue = new WeakSet<object>();
const unmetExpectation = new WeakSet<object>();

/**
 * `Expect` handled at the edge, as nginx does: it is a request to this hop, never forwarded (undici
 * refuses it anyway). A `100-continue` request goes through routing, auth and limits like any other
 * and gets its `100 Continue` only when the gateway is about to read the body, so a refused one
 * never makes the client send it; any other expectation is refused with 417.
 */
export function handleExpect(
  server: Server,
  serve: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    awaitingContinue.add(req);
    serve(req, res);
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    unmetExpectation.add(req);
    serve(req, res);
  });
}

/** Refuses (417) an expectation other than 100-continue. */
export class ExpectPlugin implements GatewayPlugin {
  readonly name = 'expect';

  access(exchange: Exchange): Verdict {
    if (!unmetExpectation.has(exchange.req)) return undefined;
    return problem(
      417,
      'expectation-failed',
      'Expectation Failed',
      'the gateway meets no expectation but "100-continue"',
    );
  }
}

/** Tells a client waiting on `Expect: 100-continue` to send its body; call right before reading it. */
export function continueIfAwaited(req: object, res: GatewayResponse): void {
  if (awaitingContinue.delete(req)) (res as ServerResponse).writeContinue();
}
