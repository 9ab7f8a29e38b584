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

  /** The first refusal or answer of an access plugin, else the proxy's. */
  async run(exchange: Exchange): Promise<Verdict> {
    for (const plugin of this.#access) {
      let verdict = plugin.access!(exchange);
      if (verdict instanceof Promise) verdict = await verdict;
      if (verdict !== undefined) return verdict;
    }
    return this.#proxy.proxy!(exchange);
  }

  closed(exchange: Exchange): void {
    for (const plugin of this.#log) plugin.log!(exchange);
  }
}
