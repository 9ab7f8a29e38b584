import { Marked, type Tokens } from 'marked';
import { gfmHeadingId } from 'marked-gfm-heading-id';
import path from 'node:path/posix';

/** A generated file, by its path relative to the repository root. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** Where the site's pages load the Mermaid browser bundle; the docs server answers it from the installed package. */
export const MERMAID_ASSET = 'assets/mermaid.min.js';
export const SITE_DIR = 'docs/site';

interface SitePage {
  /** The Markdown source, e.g. `docs/events.md`. */
  readonly source: string;
  /** The page's path inside the site, e.g. `events.html`. */
  readonly target: string;
  readonly title: string;
}

/** The context map is the site's front page: it is what `/docs` opens on. */
export function sitePathOf(markdownPath: string): string {
  const relative = path.relative('docs', markdownPath);
  return relative === 'context-map.md' ? 'index.html' : relative.replace(/\.md$/, '.html');
}

const STYLE = `body {
  margin: 0;
  font:
    16px/1.55 system-ui,
    -apple-system,
    'Segoe UI',
    sans-serif;
  color: #1d232b;
  background: #fbfbfc;
}
nav {
  position: sticky;
  top: 0;
  display: flex;
  flex-wrap: wrap;
  gap: 0.4rem 1.2rem;
  align-items: baseline;
  padding: 0.7rem 1.5rem;
  background: #16324f;
  color: #fff;
}
nav a {
  color: #dbe9f7;
  text-decoration: none;
}
nav a[aria-current='page'] {
  color: #fff;
  font-weight: 600;
  text-decoration: underline;
}
nav .brand {
  font-weight: 700;
  margin-right: 0.6rem;
}
main {
  max-width: 72rem;
  margin: 0 auto;
  padding: 1rem 1.5rem 4rem;
}
h1,
h2,
h3,
h4 {
  scroll-margin-top: 4rem;
}
h2 {
  margin-top: 2.5rem;
  border-bottom: 1px solid #d5dbe3;
}
h4 {
  margin-bottom: 0.3rem;
}
table {
  border-collapse: collapse;
  margin: 0.6rem 0 1.2rem;
  font-size: 0.92rem;
}
th,
td {
  border: 1px solid #d5dbe3;
  padding: 0.35rem 0.6rem;
  text-align: left;
  vertical-align: top;
}
th {
  background: #eef2f6;
}
code {
  font-size: 0.9em;
  background: #eef2f6;
  padding: 0.05rem 0.25rem;
  border-radius: 3px;
}
pre.mermaid {
  background: #fff;
  border: 1px solid #d5dbe3;
  padding: 1rem;
  text-align: center;
}
`;

// Runs in the reader's browser. data-diagrams on <html> says when the diagrams are drawn, or why
// not: opened from disk rather than through the docs server, the bundle is absent and the Mermaid
// source stays readable in place of the drawing.
const DIAGRAM_SCRIPT = `if (typeof mermaid === 'undefined') {
  document.documentElement.dataset.diagrams = 'unavailable';
  console.warn('Mermaid is not loaded (serve the site with npm run docs:serve); diagrams show as source.');
} else {
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  mermaid.run({ querySelector: 'pre.mermaid' }).then(
    () => { document.documentElement.dataset.diagrams = 'rendered'; },
    (error) => { document.documentElement.dataset.diagrams = 'failed'; console.error('Mermaid could not draw a diagram:', error); },
  );
}`;

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function markdownRenderer(): Marked {
  return new Marked(gfmHeadingId(), {
    gfm: true,
    walkTokens(token) {
      if (token.type !== 'link') return;
      const link = token as Tokens.Link;
      const match = /^([^:#?]+\.md)(#.*)?$/.exec(link.href);
      if (match === null) return;
      const [, file, fragment = ''] = match;
      const target =
        path.basename(file!) === 'context-map.md' ? path.join(path.dirname(file!), 'index.md') : file!;
      link.href = `${target.replace(/\.md$/, '.html')}${fragment}`;
    },
    renderer: {
      code({ text, lang }) {
        return lang === 'mermaid' ? `<pre class="mermaid">${escapeHtml(text)}</pre>\n` : false;
      },
    },
  });
}

/**
 * The static HTML rendering of the Markdown pages, readable without a Markdown viewer: one HTML
 * page per Markdown page with a navigation bar, and the Mermaid diagrams drawn in the browser.
 */
export function renderSite(markdown: readonly GeneratedFile[]): GeneratedFile[] {
  const pages: SitePage[] = markdown.map((file) => ({
    source: file.path,
    target: sitePathOf(file.path),
    title: /^# (.+)$/m.exec(file.content)?.[1] ?? path.basename(file.path, '.md'),
  }));
  const order = (page: SitePage): string =>
    page.target === 'index.html' ? '0' : page.target === 'events.html' ? '1' : `2${page.target}`;
  const nav = [...pages].sort((a, b) => order(a).localeCompare(order(b)));
  const files: GeneratedFile[] = [{ path: `${SITE_DIR}/assets/site.css`, content: STYLE }];
  for (const file of markdown) {
    const page = pages.find((candidate) => candidate.source === file.path)!;
    const base = path.relative(path.dirname(page.target), '.');
    const prefix = base === '' ? '' : `${base}/`;
    const body = markdownRenderer().parse(file.content, { async: false });
    const hasDiagram = body.includes('<pre class="mermaid">');
    const links = nav.map(
      (entry) =>
        `<a href="${prefix}${entry.target}"${entry === page ? ' aria-current="page"' : ''}>${escapeHtml(entry.title)}</a>`,
    );
    const html = [
      '<!doctype html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${escapeHtml(page.title)} · Strata domain docs</title>`,
      `<link rel="stylesheet" href="${prefix}assets/site.css">`,
      '</head>',
      '<body>',
      `<nav><span class="brand">Strata domain docs</span>${links.join('')}</nav>`,
      `<main>\n${body}</main>`,
      ...(hasDiagram
        ? [`<script src="${prefix}${MERMAID_ASSET}"></script>`, `<script>\n${DIAGRAM_SCRIPT}\n</script>`]
        : []),
      '</body>',
      '</html>',
      '',
    ].join('\n');
    files.push({ path: `${SITE_DIR}/${page.target}`, content: html });
  }
  return files;
}
