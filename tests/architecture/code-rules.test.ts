import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const repositoryRoot = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: repositoryRoot });

// Lints `code` as if it lived at `filePath` in the repository, with the real eslint.config.js.
async function rulesBrokenBy(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repositoryRoot, filePath) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? `fatal: ${message.message}`);
}

describe('code rules (eslint.config.js)', () => {
  // Source text handed to ESLint to prove the rule rejects it, not tests of ours.
  it.each([
    "it.only('runs alone', () => undefined);",
    "it.skip('never runs', () => undefined);",
    "it.skip.each([1])('never runs', () => undefined);",
    "it.todo('some day');",
    "describe.only('runs alone', () => undefined);",
    "test.skip('never runs', () => undefined);",
    "xit('never runs', () => undefined);",
    "fdescribe('runs alone', () => undefined);",
  ])('a test file may not focus or skip tests: %s', async (line) => {
    expect(await rulesBrokenBy(`${line}\n`, 'infra/rpc/test/planted.test.ts')).toEqual([
      'no-restricted-syntax',
    ]);
  });

  it('a test file may run its tests plainly', async () => {
    const code =
      "import { describe, it } from '@jest/globals';\ndescribe('a', () => { it('b', () => undefined); });\n";
    expect(await rulesBrokenBy(code, 'infra/rpc/test/planted.test.ts')).toEqual([]);
  });

  it('a context may not log to the console', async () => {
    expect(
      await rulesBrokenBy("console.log('placed');\n", 'contexts/ordering/src/domain/planted.ts'),
    ).toEqual(['no-console']);
  });

  it('the shared kernel may not log to the console', async () => {
    expect(await rulesBrokenBy("console.warn('odd');\n", 'shared-kernel/src/planted.ts')).toEqual([
      'no-console',
    ]);
  });

  it('an import used only as a type must say `import type`', async () => {
    const code =
      "import { Course } from './course.ts';\nexport const name = (course: Course): string => String(course);\n";
    expect(await rulesBrokenBy(code, 'contexts/catalog/src/domain/planted.ts')).toEqual([
      '@typescript-eslint/consistent-type-imports',
    ]);
  });

  it('a NestJS constructor may inject a class imported as a value (decorator metadata needs it)', async () => {
    const code = [
      "import { Injectable } from '@nestjs/common';",
      "import { CourseReader } from './course-reader.ts';",
      '@Injectable()',
      'export class CatalogController {',
      '  readonly reader: CourseReader;',
      '  constructor(reader: CourseReader) {',
      '    this.reader = reader;',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(await rulesBrokenBy(code, 'application-services/learner-api/src/planted.ts')).toEqual([]);
  });

  it('an unused variable is an error unless its name starts with _', async () => {
    const code = 'export function handle(_event: unknown, unused: number): void {}\n';
    expect(await rulesBrokenBy(code, 'infra/events/src/planted.ts')).toEqual([
      '@typescript-eslint/no-unused-vars',
    ]);
  });
});
