import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildDocsSite, loadPlatform, serveDocs, type DocsServer } from '@strata/docs-tools';

const ROOT = path.resolve(import.meta.dirname, '../../..');

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// Raw requests, so paths like /docs/../x reach the server as written instead of being normalised by a client.
function get(server: DocsServer, rawPath: string, method = 'GET'): Promise<Answer> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: rawPath, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveDocs', () => {
  let server: DocsServer;
  let siteRoot: string;
  beforeAll(async () => {
    // The site is built, not committed: build it where this test alone reads it.
    siteRoot = await mkdtemp(path.join(os.tmpdir(), 'strata-serve-docs-'));
    server = await serveDocs({ dir: await buildDocsSite(await loadPlatform(ROOT), siteRoot) });
  });
  afterAll(async () => {
    await server.close();
    await rm(siteRoot, { recursive: true, force: true });
  });

  it('serves the site under /docs/, redirecting /docs and / there', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/docs\/$/);
    expect((await get(server, '/docs')).headers.location).toBe('/docs/');
    expect((await get(server, '/')).headers.location).toBe('/docs/');
    const index = await get(server, '/docs/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<h1 id="context-map">Context map</h1>');
    const page = await get(server, '/docs/ubiquitous-language/identity.html');
    expect(page.body).toContain('<h3 id="email-verification">Email verification</h3>');
  });

  it('answers the Mermaid bundle from the installed package', async () => {
    const bundle = await get(server, '/docs/assets/mermaid.min.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.body).toContain('mermaid');
  });

  it('refuses paths outside the site, unknown pages and methods other than GET and HEAD', async () => {
    expect((await get(server, '/docs/../package.json')).status).toBe(404);
    expect((await get(server, '/docs/%2e%2e/package.json')).status).toBe(404);
    expect((await get(server, '/docs/%2e%2e%2f%2e%2e%2fpackage.json')).status).toBe(404);
    const missing = await get(server, '/docs/nowhere.html');
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('not found: /docs/nowhere.html\n');
    const post = await get(server, '/docs/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const head = await get(server, '/docs/events.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});
