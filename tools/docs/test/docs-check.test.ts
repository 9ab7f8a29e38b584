import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = path.join(ROOT, 'tools/docs/src/cli.ts');
const FIXTURE = path.join(import.meta.dirname, 'fixtures/platform');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Each run is a fresh process, as `npm run docs:check` is: an edited contract is loaded anew.
function cli(command: 'generate' | 'check', root: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, command, '--root', root], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

const roots: string[] = [];

/** A copy of `source` in a temporary folder, with the repository's node_modules. */
async function copyOf(source: string): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'strata-docs-check-'));
  await cp(source, root, { recursive: true, filter: (from) => path.basename(from) !== 'node_modules' });
  // The fixture imports @strata/shared-kernel; resolve it from the repository's install.
  await symlink(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

/** A copy of the fixture platform (one context, "shop") that a test may edit. */
async function fixtureRoot(): Promise<string> {
  const root = await copyOf(FIXTURE);
  roots.push(root);
  return root;
}

/**
 * The fixture with its docs generated, once for the file: a generation is a process of a few
 * seconds, and the tests that start from current docs copy this instead of generating their own.
 */
let generated: { root: string; run: Run } | undefined;

beforeAll(async () => {
  const root = await copyOf(FIXTURE);
  generated = { root, run: await cli('generate', root) };
});

afterAll(async () => {
  if (generated !== undefined) await rm(generated.root, { recursive: true, force: true });
});

/** A copy of the fixture with current docs, as `npm run docs` left them. */
async function generatedRoot(): Promise<string> {
  expect(generated?.run.code).toBe(0);
  const root = await copyOf(generated!.root);
  roots.push(root);
  return root;
}

async function edit(root: string, file: string, from: string, to: string): Promise<void> {
  const target = path.join(root, file);
  const text = await readFile(target, 'utf8');
  expect(text).toContain(from);
  await writeFile(target, text.replace(from, to));
}

afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

describe('npm run docs:check', () => {
  it('passes on freshly generated docs, and the generated page carries types, constraints and definitions', async () => {
    const root = await generatedRoot();
    // Deterministic: generating again from the same code changes no byte.
    expect((await cli('generate', root)).stdout.trim()).toBe('docs already up to date');
    const check = await cli('check', root);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('docs are complete and current (shop)');

    const page = await readFile(path.join(root, 'docs/ubiquitous-language/shop.md'), 'utf8');
    expect(page).toContain(
      '| `quantity` | integer | from 1 to 99 | [Quantity](#quantity): How many of the article, from 1 to 99. |',
    );
    expect(page).toContain('**Not idempotent**');
    const events = await readFile(path.join(root, 'docs/events.md'), 'utf8');
    expect(events).toContain(
      '| [ItemAdded](#itemadded-shop) | 2 | [shop](ubiquitous-language/shop.md) | Basket | shop-service | shop-api |',
    );
    // billing is planned (in the topology, not in code): it appears nowhere.
    const map = await readFile(path.join(root, 'docs/context-map.md'), 'utf8');
    expect(map).not.toContain('ctx_billing');
    expect(map).toContain('ctx_shop -.->|"ItemAdded<br/>BasketCheckedOut"| app_shop_api');
  }, 30_000);

  it('names a field whose glossary definition was removed', async () => {
    const root = await fixtureRoot();
    await edit(
      root,
      'contexts/shop/src/glossary.ts',
      "refs: ['Basket.addItem.quantity', 'ItemAdded.quantity']",
      "refs: ['ItemAdded.quantity']",
    );
    expect((await cli('generate', root)).code).toBe(0);
    const check = await cli('check', root);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      'shop: field Basket.addItem.quantity has no glossary definition; add its ref to a term in contexts/shop/src/glossary.ts',
    );
    expect(check.stderr).toContain('docs:check found 1 problem');
  }, 30_000);

  it('names a glossary ref that points at nothing', async () => {
    const root = await fixtureRoot();
    await edit(
      root,
      'contexts/shop/src/glossary.ts',
      "refs: ['Basket.checkOut', 'BasketCheckedOut']",
      "refs: ['Basket.checkOut', 'BasketCheckedOut', 'Basket.abandon']",
    );
    expect((await cli('generate', root)).code).toBe(0);
    const check = await cli('check', root);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      'shop: glossary term "Checking out" refers to Basket.abandon, which the shop contract does not declare; fix or remove the ref in contexts/shop/src/glossary.ts',
    );
  }, 30_000);

  it('reports every page made stale by a schema change that was not regenerated', async () => {
    const root = await generatedRoot();
    await edit(
      root,
      'contexts/shop/src/contract.ts',
      // The first occurrence is Basket.addItem's input; the ItemAdded payload keeps 99.
      'quantity: z.number().int().min(1).max(99),',
      'quantity: z.number().int().min(1).max(50),',
    );
    const check = await cli('check', root);
    expect(check.code).toBe(1);
    // Only the committed markdown: the HTML site is built on demand and never checked in.
    expect(check.stderr.trim().split('\n')).toEqual([
      'docs/ubiquitous-language/shop.md is stale; run npm run docs',
      'docs:check found 1 problem',
    ]);
    expect((await cli('generate', root)).code).toBe(0);
    expect((await cli('check', root)).code).toBe(0);
  }, 30_000);

  it('reports a page left behind and a page missing', async () => {
    const root = await generatedRoot();
    await writeFile(path.join(root, 'docs/ubiquitous-language/retired.md'), '# retired\n');
    await rm(path.join(root, 'docs/events.md'));
    const check = await cli('check', root);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('docs/events.md is missing; run npm run docs');
    expect(check.stderr).toContain(
      'docs/ubiquitous-language/retired.md is no longer generated; run npm run docs to remove it',
    );
  }, 30_000);

  it('names a consumed event the producing contract does not declare', async () => {
    const root = await fixtureRoot();
    await edit(
      root,
      'config/topology.ts',
      "consumes: { shop: ['BasketCheckedOut'] }",
      "consumes: { shop: ['BasketPaid'] }",
    );
    expect((await cli('generate', root)).code).toBe(0);
    const check = await cli('check', root);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      'topology: billing-service consumes shop.BasketPaid, which the shop contract does not declare; fix config/topology.ts',
    );
  }, 30_000);

  it('names a context in code that no data service hosts', async () => {
    const root = await fixtureRoot();
    await writeFile(
      path.join(root, 'config/topology.ts'),
      "export const topology = { dataServices: { 'billing-service': { contexts: ['billing'] } }, applicationServices: {} };\n",
    );
    expect((await cli('generate', root)).code).toBe(0);
    const check = await cli('check', root);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      'topology: context shop (contexts/shop) is hosted by no data service; add it to one in config/topology.ts',
    );
  }, 30_000);

  it('says which folder under contexts/ is not a context package', async () => {
    const root = await fixtureRoot();
    await mkdir(path.join(root, 'contexts/scratch'));
    const check = await cli('check', root);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      'contexts/scratch/package.json cannot be read (ENOENT); every folder under contexts/ is a context package with a package.json',
    );
  }, 30_000);

  it('names the offending path of an invalid topology', async () => {
    const root = await fixtureRoot();
    await edit(
      root,
      'config/topology.ts',
      "consumes: { shop: ['BasketCheckedOut'] }",
      "consumes: { shop: ['basketCheckedOut'] }",
    );
    const check = await cli('check', root);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('config/topology.ts is invalid:');
    expect(check.stderr).toContain(
      'dataServices.billing-service.consumes.shop.0: an event type is PascalCase in the past tense, e.g. "CoursePublished"',
    );
  }, 30_000);

  it('fails when a name or a code in the context uses a word its glossary says to avoid', async () => {
    const root = await generatedRoot();
    // Planted: the glossary says "Basket", not "cart"; prose in a comment may still say the word.
    await writeFile(
      path.join(root, 'contexts/shop/src/cart-limit.ts'),
      [
        '// Not a "cart": comments may say what a word is not.',
        'export const MAX_CART_ITEMS = 50;',
        'export function refuseFullBasket(itemCount: number): string | undefined {',
        "  return itemCount > MAX_CART_ITEMS ? 'carts-hold-at-most-50-items' : undefined;",
        '}',
        '',
      ].join('\n'),
    );
    const check = await cli('check', root);
    expect(check.code).toBe(1);
    expect(check.stderr.trim().split('\n')).toEqual([
      'shop: contexts/shop/src/cart-limit.ts:2 names MAX_CART_ITEMS with "cart", which the glossary says to avoid (term "Basket")',
      'shop: contexts/shop/src/cart-limit.ts:4 codes carts-hold-at-most-50-items with "cart", which the glossary says to avoid (term "Basket")',
      'docs:check found 2 problems',
    ]);
  }, 30_000);

  it("fails when a business rule's name and its code disagree", async () => {
    const root = await generatedRoot();
    await writeFile(
      path.join(root, 'contexts/shop/src/basket-rules.ts'),
      [
        "import type { BusinessRule } from '@strata/shared-kernel';",
        'export function basketCannotBeEmpty(itemCount: number): BusinessRule {',
        "  return { code: 'basket-needs-an-item', message: 'add an item first', isBroken: () => itemCount === 0 };",
        '}',
        'export function basketCannotHoldOver50Items(itemCount: number): BusinessRule {',
        "  return { code: 'basket-cannot-hold-over-50-items', message: 'too many', isBroken: () => itemCount > 50 };",
        '}',
        '',
      ].join('\n'),
    );
    const check = await cli('check', root);
    expect(check.code).toBe(1);
    expect(check.stderr.trim().split('\n')).toEqual([
      'shop: contexts/shop/src/basket-rules.ts:2 rule basketCannotBeEmpty has the code "basket-needs-an-item"; name the rule and its code alike (basket-cannot-be-empty)',
      'docs:check found 1 problem',
    ]);
  }, 30_000);
});
