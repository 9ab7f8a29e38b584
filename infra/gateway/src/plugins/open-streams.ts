import type { Exchange } from '../exchange.ts';
import type { GatewayPlugin, Verdict } from './plugin.ts';

/**
 * Keeps the exchanges of streaming routes (server-sent events) while they are open, so a stopping
 * gateway ends them at once rather than waiting out its drain timeout: each client reconnects,
 * through another gateway, and resumes from its Last-Event-ID.
 */
export class OpenStreamsPlugin implements GatewayPlugin {
  readonly name = 'open-streams';
  readonly #open = new Set<Exchange>();

  access(exchange: Exchange): Verdict {
    if (exchange.route!.streaming) {
      this.#open.add(exchange);
      exchange.res.once('close', () => this.#open.delete(exchange));
    }
    return undefined;
  }

  /**
   * Ends every open stream cleanly (the chunked body's last chunk), then stops its upstream attempt
   * once that is flushed: aborting first would let the proxy destroy the response mid-body.
   */
  endAll(): void {
    for (const exchange of this.#open) {
      exchange.clientGone = true;
      exchange.res.once('finish', () => exchange.attemptAbort?.abort());
      exchange.res.end();
    }
    this.#open.clear();
  }
}
