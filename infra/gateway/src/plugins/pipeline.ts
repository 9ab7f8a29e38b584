import type { Exchange } from '../exchange.ts';
import type { GatewayPlugin, Verdict } from './plugin.ts';

/**
 * The plugins of one gateway in their fixed order, split by phase once at construction so a
 * request walks plain arrays: the access plugins in order, then the proxy; the log plugins when
 * the response closes.
 */
export class Pipeline {
  readonly #access: readonly GatewayPlugin[];
  readonly #proxy: GatewayPlugin;
  readonly #log: readonly GatewayPlugin[];

  constructor(plugins: readonly GatewayPlugin[]) {
    this.#access = plugins.filter((plugin) => plugin.access !== undefined);
    const proxies = plugins.filter((plugin) => plugin.proxy !== undefined);
    if (proxies.length !== 1)
      throw new Error(`a gateway pipeline needs exactly one proxy plugin, got ${proxies.length}`);
    this.#proxy = proxies[0]!;
    this.#log = plugins.filter((plugin) => plugin.log !== undefined);
  }

  /** Names in order, for the admin API and the startup log. */
  get order(): { access: string[]; proxy: string; log: string[] } {
    return {
      access: this.#access.map((plugin) => plugin.name),
      proxy: this.#proxy.name,
      log: this.#log.map((plugin) => plugin.name),
    };
  }

  /**
   * The first refusal or answer of an access plugin, else the proxy's. Not async: while the access
   * plugins answer synchronously (a GET with no plugin configured, a remembered token) the request
   * goes on to the proxy in the same turn, and its promise is the only one the request makes here.
   */
  run(exchange: Exchange): Verdict | Promise<Verdict> {
    const access = this.#access;
    try {
      for (let index = 0; index < access.length; index += 1) {
        const verdict = access[index]!.access!(exchange);
        if (verdict instanceof Promise) return this.#resume(exchange, index, verdict);
        if (verdict !== undefined) return verdict;
      }
      return this.#proxy.proxy!(exchange);
    } catch (error) {
      // A plugin's failure reaches the caller as a rejection, as from an async function: it is
      // answered once the request's parsing has finished, like any other answer.
      return Promise.reject(error);
    }
  }

  /** The rest of `run` once access plugin `index` returned a promise. */
  async #resume(exchange: Exchange, index: number, pending: Promise<Verdict>): Promise<Verdict> {
    const verdict = await pending;
    if (verdict !== undefined) return verdict;
    const access = this.#access;
    for (let next = index + 1; next < access.length; next += 1) {
      let later = access[next]!.access!(exchange);
      if (later instanceof Promise) later = await later;
      if (later !== undefined) return later;
    }
    return this.#proxy.proxy!(exchange);
  }

  closed(exchange: Exchange): void {
    for (const plugin of this.#log) plugin.log!(exchange);
  }
}
