import { describe, expect, it } from '@jest/globals';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';

const repositoryRoot = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: repositoryRoot });

async function rulesBrokenBy(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repositoryRoot, filePath) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? `fatal: ${message.message}`);
}

/** Every aggregate (or entity) class declared in a context's domain, as repository paths. */
async function domainClassFiles(): Promise<string[]> {
  const contexts = await readdir(join(repositoryRoot, 'contexts'));
  const files: string[] = [];
  for (const context of contexts) {
    const domain = join(repositoryRoot, 'contexts', context, 'src', 'domain');
    for (const file of await readdir(domain).catch(() => [])) {
      if (file.endsWith('.ts')) files.push(relative(repositoryRoot, join(domain, file)));
    }
  }
  return files;
}

const PLANTED_AT = 'contexts/ordering/src/domain/order.ts';

// Source text handed to ESLint to prove the rule rejects it; the real aggregates are linted below.
const plantedAggregate = (member: string) =>
  [
    "import { AggregateRoot } from '@strata/shared-kernel';",
    'export class Order extends AggregateRoot {',
    `  ${member}`,
    "  get aggregateType(): string { return 'Order'; }",
    '}',
    '',
  ].join('\n');

describe('aggregates (ADR 0008)', () => {
  it('aggregates expose no public mutable state: the real ones pass', async () => {
    const files = await domainClassFiles();
    expect(files).toEqual(
      expect.arrayContaining([
        'contexts/catalog/src/domain/course.ts',
        'contexts/identity/src/domain/user.ts',
      ]),
    );
    const results = await eslint.lintFiles(files.map((file) => join(repositoryRoot, file)));
    const broken = results.flatMap((result) =>
      result.messages.map((message) => `${relative(repositoryRoot, result.filePath)}: ${message.message}`),
    );
    expect(broken).toEqual([]);
  });

  it.each([
    ['a public field', 'status: string = "placed";'],
    ['a public field without initialiser', 'total!: number;'],
    ['a setter', 'set status(value: string) { void value; }'],
  ])('aggregates expose no public mutable state: %s is refused', async (_what, member) => {
    expect(await rulesBrokenBy(plantedAggregate(member), PLANTED_AT)).toEqual(['no-restricted-syntax']);
  });

  it('aggregates keep their state in # fields, not TypeScript private', async () => {
    // Refused twice over: TypeScript `private` anywhere, and a field that is not `#` on an aggregate.
    expect(await rulesBrokenBy(plantedAggregate('private status = "placed";'), PLANTED_AT)).toEqual([
      'no-restricted-syntax',
      'no-restricted-syntax',
    ]);
  });

  it('aggregates may keep private state, read-only identity and getters', async () => {
    const members = [
      'declare readonly id: string;',
      '  #status = "placed";',
      '  get status(): string { return this.#status; }',
    ].join('\n');
    expect(await rulesBrokenBy(plantedAggregate(members), PLANTED_AT)).toEqual([]);
  });
});

describe('one zod', () => {
  it('zod is imported through the shared kernel only', async () => {
    const code = "import { z } from 'zod';\nexport const name = z.string();\n";
    expect(await rulesBrokenBy(code, 'infra/rpc/src/planted.ts')).toEqual(['no-restricted-imports']);
    expect(await rulesBrokenBy(code, 'contexts/catalog/test/planted.test.ts')).toEqual([
      'no-restricted-imports',
    ]);
  });

  it('the shared kernel is where zod comes from', async () => {
    const code = "import { z } from 'zod';\nexport const name = z.string();\n";
    expect(await rulesBrokenBy(code, 'shared-kernel/src/planted.ts')).toEqual([]);
  });
});
