import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStaticSiteHandler, type StaticSiteHandler } from '@strata/gateway/static-site';
import { MERMAID_ASSET } from './render-site.ts';

// The 5 MB browser bundle is served from the installed package rather than copied into the
// committed site, so the repository holds no vendored build and the version is the lockfile's.
const MERMAID_BUNDLE = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

export interface DocsHandlerOptions {
  /** The generated site folder (docs/site). */
  readonly dir: string;
  /** Where the site is mounted, e.g. `/docs` (the gateway's path); without a trailing slash. */
  readonly basePath?: string;
}

export type DocsHandler = StaticSiteHandler;

/**
 * The gateway's static site handler configured for the docs: mounted at `/docs` unless told
 * otherwise, with the Mermaid bundle answered from the installed package.
 */
export function createDocsHandler(options: DocsHandlerOptions): DocsHandler {
  return createStaticSiteHandler({
    dir: options.dir,
    basePath: options.basePath ?? '/docs',
    extraFiles: { [MERMAID_ASSET]: MERMAID_BUNDLE },
  });
}

export interface DocsServer {
  /** The site's address, e.g. `http://127.0.0.1:4100/docs/`. */
  readonly url: string;
  close(): Promise<void>;
}

/** A tiny static server for the docs alone (`npm run docs:serve`); the gateway mounts the handler instead. */
export async function serveDocs(
  options: DocsHandlerOptions & { readonly port?: number; readonly host?: string },
): Promise<DocsServer> {
  const basePath = (options.basePath ?? '/docs').replace(/\/+$/, '');
  const handler = createDocsHandler({ dir: options.dir, basePath });
  const server = createServer((request, response) => {
    if (request.url === '/' && basePath !== '') {
      response.writeHead(302, { location: `${basePath}/` });
      response.end();
      return;
    }
    handler(request, response);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${basePath}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
