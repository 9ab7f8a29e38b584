import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createStaticSiteHandler } from '../src/index.ts';
import { send } from './fixtures/harness.ts';

// Layout: <tmp>/site is served; <tmp>/secret.txt and <tmp>/site-old/ sit beside it and must stay
// out of reach, and <tmp>/vendor/bundle.js is mapped in as an extra file.
let base: string;
let server: Server;
let url: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'strata-static-site-'));
  await mkdir(join(base, 'site', 'guide'), { recursive: true });
  await mkdir(join(base, 'site-old'));
  await mkdir(join(base, 'vendor'));
  await writeFile(join(base, 'site', 'index.html'), '<h1>home</h1>');
  await writeFile(join(base, 'site', 'guide', 'index.html'), '<h1>guide</h1>');
  await writeFile(join(base, 'site', 'style.css'), 'body { margin: 0 }');
  await writeFile(join(base, 'site', 'data.bin'), Buffer.from([0, 1, 2]));
  await writeFile(join(base, 'secret.txt'), 'outside the site');
  await writeFile(join(base, 'site-old', 'index.html'), 'a sibling folder sharing the prefix');
  await writeFile(join(base, 'vendor', 'bundle.js'), 'window.bundle = 1;');
  const handler = createStaticSiteHandler({
    dir: join(base, 'site'),
    basePath: '/docs/',
    extraFiles: { 'assets/bundle.js': join(base, 'vendor', 'bundle.js') },
  });
  // A bare server, not the gateway: the gateway's target check would refuse traversal before the
  // handler saw it, and the handler must be safe on its own.
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(base, { recursive: true, force: true });
});

describe('createStaticSiteHandler', () => {
  it('serves index.html for the base path and for a folder, redirecting the bare base path', async () => {
    const bare = await send(url, '/docs?x=1');
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe('/docs/?x=1');
    const home = await send(url, '/docs/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.text).toBe('<h1>home</h1>');
    expect((await send(url, '/docs/guide/')).text).toBe('<h1>guide</h1>');
  });

  it('serves a file with its content type, length and no-sniff, and HEAD without a body', async () => {
    const css = await send(url, '/docs/style.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['content-length']).toBe(String('body { margin: 0 }'.length));
    expect(css.headers['x-content-type-options']).toBe('nosniff');
    expect(css.text).toBe('body { margin: 0 }');
    expect((await send(url, '/docs/data.bin')).headers['content-type']).toBe('application/octet-stream');
    const head = await send(url, '/docs/style.css', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('body { margin: 0 }'.length));
    expect(head.text).toBe('');
  });

  it('serves an extra file from outside the folder by its path under the base', async () => {
    const bundle = await send(url, '/docs/assets/bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.text).toBe('window.bundle = 1;');
  });

  it('refuses every way out of the folder', async () => {
    for (const path of [
      '/docs/../secret.txt',
      '/docs/%2e%2e/secret.txt',
      '/docs/%2e%2e%2fsecret.txt',
      '/docs/guide/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/docs/..%5csecret.txt',
      '/docs/%2e%2e%2fsite-old%2findex.html',
      `/docs/${encodeURIComponent(join(base, 'secret.txt'))}`,
    ]) {
      const reply = await send(url, path);
      expect({ path, status: reply.status }).toEqual({ path, status: 404 });
      expect(reply.text).not.toContain('outside the site');
      expect(reply.text).not.toContain('sibling');
    }
  });

  it('answers 404 for a missing file, a folder without index.html and paths outside the base', async () => {
    const missing = await send(url, '/docs/nowhere.html');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('not found: /docs/nowhere.html\n');
    expect((await send(url, '/docs/guide')).status).toBe(404);
    expect((await send(url, '/docs/%00.html')).status).toBe(404);
    const elsewhere = await send(url, '/other/index.html');
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.text).toBe('not found: this site lives under /docs/\n');
    expect((await send(url, '/docsx/index.html')).status).toBe(404);
  });

  it('answers 405 to methods other than GET and HEAD, and 400 to broken percent-encoding', async () => {
    const post = await send(url, '/docs/', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await send(url, '/docs/%zz')).status).toBe(400);
  });
});
