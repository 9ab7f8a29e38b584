import type { Exchange } from '../exchange.ts';
import type { Problem } from '../problem.ts';

/** Said by a plugin that has written the response itself (a preflight, a local file, the proxied answer). */
export const ANSWERED = Symbol('answered');

/** A plugin's word on a request: refuse it with a problem, say it is answered, or pass it on (undefined). */
export type Verdict = Problem | typeof ANSWERED | undefined;

/**
 * One gateway plugin, after Kong's phases. A plugin takes part in any of them:
 *
 * - `access`: runs in the pipeline's fixed order until one plugin refuses or answers; the rest
 *   never see the request. Plugins put headers meant for the client into
 *   `exchange.responseHeaders` (the response phase: they go on the proxied answer and on problems
 *   alike).
 * - `proxy`: the one plugin that forwards what passed every access plugin.
 * - `log`: every log plugin, once the response is closed (sent or cut short).
 *
 * Return a plain value rather than a promise when there is nothing to wait for: the pipeline only
 * awaits promises, so a synchronous plugin costs no turn of the event loop.
 */
export interface GatewayPlugin {
  readonly name: string;
  access?(exchange: Exchange): Verdict | Promise<Verdict>;
  proxy?(exchange: Exchange): Promise<Verdict>;
  log?(exchange: Exchange): void;
}
