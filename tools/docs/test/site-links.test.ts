import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildDocsSite, loadPlatform } from '@strata/docs-tools';

const ROOT = path.resolve(import.meta.dirname, '../../..');

async function pages(site: string): Promise<Map<string, string>> {
  const files = (await readdir(site, { recursive: true })).filter((file) => file.endsWith('.html')).sort();
  return new Map(
    await Promise.all(
      files.map(async (file) => [file, await readFile(path.join(site, file), 'utf8')] as const),
    ),
  );
}

// Every term, field and event links to its description; a broken anchor would strand the reader.
describe('the docs site as built from the code', () => {
  let siteRoot: string;
  let siteDir: string;

  beforeAll(async () => {
    siteRoot = await mkdtemp(path.join(os.tmpdir(), 'strata-site-links-'));
    siteDir = await buildDocsSite(await loadPlatform(ROOT), siteRoot);
  });

  afterAll(() => rm(siteRoot, { recursive: true, force: true }));

  it('has no link to a missing page or a missing anchor', async () => {
    const site = await pages(siteDir);
    const ids = new Map(
      [...site].map(([file, html]) => [file, new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]))]),
    );
    const broken: string[] = [];
    let checked = 0;
    for (const [file, html] of site) {
      for (const [, href] of html.matchAll(/ href="([^"]+)"/g)) {
        if (/^[a-z]+:/.test(href!) || href!.endsWith('.css')) continue;
        const [target = '', fragment] = href!.split('#');
        const targetFile = target === '' ? file : path.posix.join(path.posix.dirname(file), target);
        checked += 1;
        if (!site.has(targetFile)) broken.push(`${file}: ${href} (no page ${targetFile})`);
        else if (fragment !== undefined && !ids.get(targetFile)!.has(fragment)) {
          broken.push(`${file}: ${href} (no #${fragment} in ${targetFile})`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });
});
