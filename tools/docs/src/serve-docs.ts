import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { MERMAID_ASSET } from './render-site.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
};

// The 5 MB browser bundle is served from the installed package rather than copied into the
// committed site, so the repository holds no vendored build and the version is the lockfile's.
const MERMAID_BUNDLE = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

export interface DocsHandlerOptions {
  /** The generated site folder (docs/site). */
  readonly dir: string;
  /** Where the site is mounted, e.g. `/docs` (the gateway's path); without a trailing slash. */
  readonly basePath?: string;
}

export type DocsHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A request handler serving the docs site under `basePath`, for the gateway to mount: GET and
 * HEAD only, nothing outside `dir`, and `/docs` redirected to `/docs/` so relative links resolve.
 */
export function createDocsHandler(options: DocsHandlerOptions): DocsHandler {
  const root = path.resolve(options.dir);
  const basePath = (options.basePath ?? '/docs').replace(/\/+$/, '');
  return (request, response) => {
    void answer(request, response, root, basePath).catch((error: unknown) => {
      if (!response.headersSent) plain(response, 500, `docs server failed: ${(error as Error).message}`);
      else response.destroy(error as Error);
    });
  };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  root: string,
  basePath: string,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return plain(response, 405, `method ${request.method} not allowed on the docs; use GET`);
  }
  const url = new URL(request.url ?? '/', 'http://docs.invalid');
  if (url.pathname === basePath || (basePath === '' && url.pathname === '')) {
    response.writeHead(308, { location: `${basePath}/${url.search}` });
    response.end();
    return;
  }
  if (!url.pathname.startsWith(`${basePath}/`))
    return plain(response, 404, `not found: the docs live under ${basePath}/`);
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname.slice(basePath.length + 1));
  } catch {
    return plain(response, 400, 'malformed percent-encoding in the path');
  }
  if (relative === '' || relative.endsWith('/')) relative += 'index.html';
  const file = relative === MERMAID_ASSET ? MERMAID_BUNDLE : path.resolve(root, relative);
  if (file !== MERMAID_BUNDLE && !file.startsWith(`${root}${path.sep}`))
    return plain(response, 404, 'not found');
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) return plain(response, 404, `not found: ${url.pathname}`);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).pipe(response);
}

function plain(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${message}\n`);
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
