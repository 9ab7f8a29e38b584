import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Platform } from './load-platform.ts';
import { assertUniqueAnchors } from './markdown.ts';
import { platformMap } from './platform-map.ts';
import { renderContextMap } from './render-context-map.ts';
import { renderContextPage } from './render-context-page.ts';
import { renderEventCatalog } from './render-event-catalog.ts';
import { renderSite, SITE_DIR, type GeneratedFile } from './render-site.ts';

export const LANGUAGE_DIR = 'docs/ubiquitous-language';
/**
 * Folders whose every file is generated: a file there the generator no longer writes is stale.
 * The markdown is committed (domain experts read it on the forge); the HTML site under SITE_DIR is
 * built on demand by whatever serves it and never committed, so `docs:check` does not look at it.
 */
export const GENERATED_DIRS = [LANGUAGE_DIR, SITE_DIR] as const;
const COMMITTED_DIRS = [LANGUAGE_DIR] as const;

/**
 * The committed markdown, sorted by path, with no timestamps: the same code gives the same bytes,
 * so `docs:check` can compare them with what is committed.
 */
export function generateMarkdown(platform: Platform): GeneratedFile[] {
  const map = platformMap(platform);
  const markdown: GeneratedFile[] = [
    ...platform.contexts.map((context) => ({
      path: `${LANGUAGE_DIR}/${context.name}.md`,
      content: renderContextPage(context, map),
    })),
    { path: 'docs/events.md', content: renderEventCatalog(map) },
    { path: 'docs/context-map.md', content: renderContextMap(map) },
  ];
  for (const file of markdown) assertUniqueAnchors(file.path, file.content);
  return byPath(markdown);
}

/** The markdown and the HTML site built from it: what `npm run docs` writes. */
export function generateDocs(platform: Platform): GeneratedFile[] {
  const markdown = generateMarkdown(platform);
  return byPath([...markdown, ...renderSite(markdown)]);
}

/**
 * Builds the HTML site from the contracts and glossaries as they are now, into `SITE_DIR` under
 * `into` (the repository by default): what serves /docs calls it first, since the site is not
 * committed. Answers the site's folder.
 */
export async function buildDocsSite(platform: Platform, into: string = platform.root): Promise<string> {
  const site = renderSite(generateMarkdown(platform));
  await rm(path.join(into, SITE_DIR), { recursive: true, force: true });
  for (const file of site) {
    const target = path.join(into, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
  return path.join(into, SITE_DIR);
}

function byPath(files: GeneratedFile[]): GeneratedFile[] {
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Files under the given generated folders, relative to the root, sorted. */
async function existingGeneratedFiles(root: string, dirs: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    let entries;
    try {
      entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const entry of entries) {
      if (entry.isFile())
        found.push(path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    }
  }
  return found.sort();
}

/** Writes the files and removes what the generated folders hold beyond them. */
export async function writeDocs(
  root: string,
  files: readonly GeneratedFile[],
): Promise<{ written: string[]; removed: string[] }> {
  const expected = new Set(files.map((file) => file.path));
  const removed: string[] = [];
  for (const existing of await existingGeneratedFiles(root, GENERATED_DIRS)) {
    if (!expected.has(existing)) {
      await rm(path.join(root, existing));
      removed.push(existing);
    }
  }
  const written: string[] = [];
  for (const file of files) {
    const target = path.join(root, file.path);
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current === file.content) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
    written.push(file.path);
  }
  return { written, removed };
}

/** Each committed generated file that differs from, is missing from, or lingers in the tree, as a message. */
export async function staleFiles(root: string, files: readonly GeneratedFile[]): Promise<string[]> {
  const problems: string[] = [];
  const expected = new Set(files.map((file) => file.path));
  for (const file of files) {
    const current = await readFile(path.join(root, file.path), 'utf8').catch(() => undefined);
    if (current === undefined) problems.push(`${file.path} is missing; run npm run docs`);
    else if (current !== file.content) problems.push(`${file.path} is stale; run npm run docs`);
  }
  for (const existing of await existingGeneratedFiles(root, COMMITTED_DIRS)) {
    if (!expected.has(existing))
      problems.push(`${existing} is no longer generated; run npm run docs to remove it`);
  }
  return problems;
}
