import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { ServiceRegistry } from '@strata/rpc';
import type { Logger } from 'pino';
import { loadRouteFile, type RouteFile, type RouteFileResult } from './route-file.ts';
import { RouteTable } from './route-table.ts';
import { UpstreamPool, type HealthCheckOptions } from './upstream-pool.ts';

export interface LoadedRoutesOptions {
  readonly routesPath: string;
  readonly registry: ServiceRegistry;
  readonly health: HealthCheckOptions;
  readonly logger: Logger;
  /** Refuses a route file this gateway cannot serve (auth without a JWKS); applied on load and on validate. */
  readonly check: (result: RouteFileResult) => RouteFileResult;
}

/**
 * The route file in force and an upstream pool per service it names. A reload swaps both at once;
 * a bad file is refused with its errors logged, and the previous routes stay.
 */
export class LoadedRoutes {
  readonly pools = new Map<string, UpstreamPool>();
  table: RouteTable | undefined;
  /** Bumped on every accepted route file. */
  revision = 0;
  lastRefused: { at: string; errors: readonly string[] } | undefined;
  readonly #options: LoadedRoutesOptions;
  #watcher: FSWatcher | undefined;
  #reloadTimer: NodeJS.Timeout | undefined;
  #reloading: Promise<RouteFileResult> = Promise.resolve({ ok: false, errors: ['not loaded yet'] });

  constructor(options: LoadedRoutesOptions) {
    this.#options = options;
  }

  reload(): Promise<RouteFileResult> {
    const { routesPath, check, logger } = this.#options;
    this.#reloading = this.#reloading.then(async () => {
      const result = check(await loadRouteFile(routesPath));
      if (!result.ok) {
        this.lastRefused = { at: new Date().toISOString(), errors: result.errors };
        logger.error(
          { routesPath, errors: result.errors, keptRevision: this.revision },
          'route file refused; the gateway keeps serving the previous routes',
        );
        return result;
      }
      await this.#apply(result.file);
      return result;
    });
    return this.#reloading;
  }

  /** Reloads whenever the route file changes. */
  watch(): void {
    const { routesPath } = this.#options;
    // The directory, not the file: editors and deploys replace the file by rename.
    this.#watcher = watch(dirname(routesPath), (_event, filename) => {
      if (filename !== null && filename !== basename(routesPath)) return;
      clearTimeout(this.#reloadTimer);
      this.#reloadTimer = setTimeout(() => void this.reload(), 50);
    });
  }

  unwatch(): void {
    this.#watcher?.close();
    clearTimeout(this.#reloadTimer);
  }

  async close(): Promise<void> {
    this.unwatch();
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    this.pools.clear();
  }

  async #apply(file: RouteFile): Promise<void> {
    const { registry, health, logger } = this.#options;
    const table = new RouteTable(file);
    const wanted = table.services();
    for (const service of wanted) {
      if (this.pools.has(service)) continue;
      const pool = new UpstreamPool(service, health, logger);
      await pool.start(registry);
      this.pools.set(service, pool);
    }
    // In-flight requests hold their own route and pool references, so swapping drops nothing.
    this.table = table;
    this.revision += 1;
    for (const [service, pool] of this.pools) {
      if (wanted.has(service)) continue;
      this.pools.delete(service);
      void pool.close();
    }
    logger.info({ revision: this.revision, routes: file.routes.map((route) => route.name) }, 'routes loaded');
  }
}
