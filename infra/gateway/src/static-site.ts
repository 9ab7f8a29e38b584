import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { LocalMount } from './plugins/local-mounts.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface StaticSiteOptions {
  /** The folder whose files are served; nothing outside it is (but `extraFiles`). */
  readonly dir: string;
  /** Where the site is mounted, e.g. `/docs` (the local mount's prefix); a trailing slash is dropped. */
  readonly basePath: string;
  /**
   * Files served from outside `dir`, keyed by their path under `basePath` (e.g.
   * `assets/mermaid.min.js` → an installed package's bundle), so a large vendored asset need not be
   * copied into the site.
   */
  readonly extraFiles?: Readonly<Record<string, string>>;
}

export type StaticSiteHandler = LocalMount['handler'];

/**
 * Serves the files of `dir` under `basePath`: GET and HEAD only, `index.html` for a folder, and
 * `basePath` itself redirected to `basePath/` so the pages' relative links resolve. The gateway
 * checks the request target before a local mount sees it; the containment check here holds
 * without that, so the handler is safe on a bare `http.createServer` too.
 */
export function createStaticSiteHandler(options: StaticSiteOptions): StaticSiteHandler {
  const root = path.resolve(options.dir);
  const site: Site = {
    root: root.endsWith(path.sep) ? root : `${root}${path.sep}`,
    basePath: options.basePath.replace(/\/+$/, ''),
    // A Map, not the record: a request for `constructor` must not find Object.prototype's.
    extraFiles: new Map(Object.entries(options.extraFiles ?? {})),
  };
  return (request, response) => {
    void answer(request, response, site).catch((error: unknown) => {
      if (!response.headersSent) plain(response, 500, `static site failed: ${(error as Error).message}`);
      else response.destroy(error as Error);
    });
  };
}

interface Site {
  /** The folder, ending in a separator so that `/srv/site-old` is not taken for inside `/srv/site`. */
  readonly root: string;
  readonly basePath: string;
  readonly extraFiles: ReadonlyMap<string, string>;
}

async function answer(request: IncomingMessage, response: ServerResponse, site: Site): Promise<void> {
  const { root, basePath } = site;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return plain(response, 405, `method ${request.method} not allowed here; use GET or HEAD`);
  }
  const url = new URL(request.url ?? '/', 'http://static.invalid');
  if (basePath !== '' && url.pathname === basePath) {
    response.writeHead(308, { location: `${basePath}/${url.search}` });
    response.end();
    return;
  }
  if (!url.pathname.startsWith(`${basePath}/`))
    return plain(response, 404, `not found: this site lives under ${basePath}/`);
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname.slice(basePath.length + 1));
  } catch {
    return plain(response, 400, 'malformed percent-encoding in the path');
  }
  if (relative === '' || relative.endsWith('/')) relative += 'index.html';
  const extra = site.extraFiles.get(relative);
  const file = extra ?? path.resolve(root, relative);
  // Decoding comes first, so `%2e%2e%2f` is caught here as the `../` it is.
  if (extra === undefined && !file.startsWith(root)) return plain(response, 404, 'not found');
  // A NUL or another name the file system refuses is as absent as a missing file.
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) return plain(response, 404, `not found: ${url.pathname}`);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  // pipeline, not pipe: a read error (file removed after the stat) must reach the catch above
  // instead of being an unhandled 'error' event that takes the whole process down.
  await pipeline(createReadStream(file), response);
}

function plain(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${message}\n`);
}
