import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SITE_DIR } from '@strata/docs-tools';

const SITE = path.resolve(import.meta.dirname, '../../..', SITE_DIR);

async function pages(): Promise<Map<string, string>> {
  const files = (await readdir(SITE, { recursive: true })).filter((file) => file.endsWith('.html')).sort();
  return new Map(
    await Promise.all(
      files.map(async (file) => [file, await readFile(path.join(SITE, file), 'utf8')] as const),
    ),
  );
}

// Every term, field and event links to its description; a broken anchor would strand the reader.
describe('the committed docs site', () => {
  it('has no link to a missing page or a missing anchor', async () => {
    const site = await pages();
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
