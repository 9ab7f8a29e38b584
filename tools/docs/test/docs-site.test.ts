import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildDocsSite, loadPlatform, serveDocs, type DocsServer } from '@strata/docs-tools';

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'npm run stack:up installs it (as root), or: apt-get update && apt-get install -y chromium';
const ROOT = path.resolve(import.meta.dirname, '../../..');

// The site built from the code, as the gateway serves it at /docs, opened in Debian's Chromium.
describe('the docs site in a headless browser', () => {
  let server: DocsServer;
  let browser: Browser;
  let siteRoot: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}; the docs site test needs it: ${INSTALL}`);
    }
    // Built into a folder of its own, so a concurrent `npm start` rebuilding docs/site cannot disturb it.
    siteRoot = await mkdtemp(path.join(os.tmpdir(), 'strata-docs-site-'));
    server = await serveDocs({ dir: await buildDocsSite(await loadPlatform(ROOT), siteRoot) });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(siteRoot, { recursive: true, force: true });
  });

  it('opens /docs on the context map, drawn as an SVG naming every context and service', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    page.on('requestfailed', (request) => failures.push(`${request.url()}: ${request.failure()?.errorText}`));

    const response = await page.goto(server.url.replace(/\/$/, ''));
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/docs/');
    // The page's script sets data-diagrams once Mermaid has drawn (or failed to draw) every diagram.
    await page.locator('html[data-diagrams]').waitFor({ state: 'attached', timeout: 30_000 });
    expect(await page.locator('html').getAttribute('data-diagrams')).toBe('rendered');

    const diagramText = (await page.locator('pre.mermaid svg').textContent()) ?? '';
    for (const name of [
      'identity',
      'catalog',
      'ordering',
      'learning',
      'links',
      'identity-service',
      'learning-service',
      'commerce-service',
      'engagement-service',
      'account-api',
      'learner-api',
      'studio-api',
      'CoursePublished',
      'UserSuspended',
      'OrderPaid',
      'CertificateIssued',
    ]) {
      expect(diagramText).toContain(name);
    }
    // Drawn, not left as source: the SVG has a box per node and the source text is gone.
    expect(await page.locator('pre.mermaid svg .node').count()).toBeGreaterThanOrEqual(7);
    expect(await page.locator('pre.mermaid').textContent()).not.toContain('flowchart LR');
    expect(await page.locator('h1').innerText()).toBe('Context map');
    expect(await page.locator('nav a').allInnerTexts()).toEqual([
      'Context map',
      'Event catalog',
      'catalog: ubiquitous language',
      'identity: ubiquitous language',
      'learning: ubiquitous language',
      'links: ubiquitous language',
      'notification: ubiquitous language',
      'ordering: ubiquitous language',
    ]);

    const screenshot = path.join(await mkdtemp(path.join(os.tmpdir(), 'strata-docs-')), 'context-map.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    const png = await readFile(screenshot);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    console.log(`context map screenshot: ${screenshot}`);
    expect(failures).toEqual([]);
  }, 60_000);

  it('follows the navigation to a ubiquitous-language page with its field tables', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByRole('link', { name: 'catalog: ubiquitous language' }).click();
    expect(new URL(page.url()).pathname).toBe('/docs/ubiquitous-language/catalog.html');
    const addLesson = page.locator('h4#courseaddlesson + p');
    expect(await addLesson.innerText()).toContain('Adding a lesson');
    const row = page.locator('table tr', { has: page.locator('code', { hasText: /^title$/ }) }).first();
    expect(await row.innerText()).toMatch(
      /string\s+3 to 120 characters; one line, no control characters\s+Course title/,
    );
    await page.getByRole('link', { name: 'event catalog' }).first().click();
    expect(new URL(page.url()).pathname).toBe('/docs/events.html');
    expect(await page.locator('h3#coursepublished-catalog').innerText()).toBe('CoursePublished (catalog)');
  }, 60_000);
});
