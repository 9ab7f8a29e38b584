import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** Files of a fixture workspace, by path relative to its root. */
export type FixtureFiles = Readonly<Record<string, string>>;

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const workspacePackage = (
  name: string,
  exports: Record<string, string>,
  dependencies: Record<string, string> = {},
): string => json({ name, version: '0.1.0', private: true, type: 'module', exports, dependencies });

const npmPackage = (name: string): FixtureFiles => ({
  [`node_modules/${name}/package.json`]: json({ name, version: '1.0.0', main: 'index.js' }),
  [`node_modules/${name}/index.js`]: 'export {};\n',
});

/**
 * A miniature Strata that obeys every layer rule: one package per layer, a second context,
 * a context contract consumed by an application service, context tests on dev tooling.
 * Each planted violation is a small overlay on this tree, so a rule that fires here fires
 * because of the plant alone.
 */
export const cleanWorkspace: FixtureFiles = {
  'package.json': json({
    name: 'strata-fixture',
    private: true,
    type: 'module',
    workspaces: ['shared-kernel', 'contexts/*', 'data-services/*', 'application-services/*', 'infra/*'],
    devDependencies: { '@jest/globals': '1.0.0', 'reflect-metadata': '1.0.0' },
  }),
  'tsconfig.json': json({
    compilerOptions: {
      target: 'ES2023',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
    },
  }),
  ...npmPackage('zod'),
  ...npmPackage('uuid'),
  ...npmPackage('@nestjs/common'),
  ...npmPackage('left-pad'),
  ...npmPackage('@jest/globals'),
  ...npmPackage('reflect-metadata'),

  'shared-kernel/package.json': workspacePackage(
    '@strata/shared-kernel',
    { '.': './src/index.ts' },
    { zod: '1.0.0', uuid: '1.0.0' },
  ),
  'shared-kernel/src/index.ts': [
    "export { Entity } from './entity.ts';",
    "export { newId } from './id.ts';",
    "export { z } from 'zod';",
    '',
  ].join('\n'),
  'shared-kernel/src/entity.ts': 'export abstract class Entity {}\n',
  'shared-kernel/src/id.ts': "import * as uuid from 'uuid';\nexport const newId = (): unknown => uuid;\n",

  'contexts/catalog/package.json': workspacePackage(
    '@strata/catalog',
    { '.': './src/index.ts', './contract': './src/contract.ts' },
    { '@strata/shared-kernel': '0.1.0' },
  ),
  'contexts/catalog/src/domain/course.ts': [
    "import { Entity } from '@strata/shared-kernel';",
    'export class Course extends Entity {}',
    '',
  ].join('\n'),
  'contexts/catalog/src/contract.ts': [
    "import { z } from '@strata/shared-kernel';",
    "import type { Course } from './domain/course.ts';",
    'export const courseId = z;',
    'export type CourseShape = Course;',
    '',
  ].join('\n'),
  'contexts/catalog/src/index.ts': "export { Course } from './domain/course.ts';\n",
  'contexts/catalog/test/course.test.ts': [
    "import { it } from '@jest/globals';",
    "import { Course } from '../src/index.ts';",
    'it(Course.name, () => undefined);',
    '',
  ].join('\n'),

  'contexts/ordering/package.json': workspacePackage(
    '@strata/ordering',
    { '.': './src/index.ts', './contract': './src/contract.ts' },
    { '@strata/shared-kernel': '0.1.0' },
  ),
  'contexts/ordering/src/domain/order.ts': [
    "import { Entity, newId } from '@strata/shared-kernel';",
    'export class Order extends Entity {',
    '  readonly id = newId();',
    '}',
    '',
  ].join('\n'),
  'contexts/ordering/src/contract.ts':
    "import { z } from '@strata/shared-kernel';\nexport const orderId = z;\n",
  'contexts/ordering/src/index.ts': "export { Order } from './domain/order.ts';\n",

  'infra/events/package.json': workspacePackage(
    '@strata/events',
    { '.': './src/index.ts' },
    { '@strata/shared-kernel': '0.1.0' },
  ),
  'infra/events/src/index.ts': [
    "import type { Entity } from '@strata/shared-kernel';",
    'export const publish = (_source: Entity): void => undefined;',
    '',
  ].join('\n'),

  // Tests run only from the root install, so one may use a package its workspace does not declare.
  'infra/events/test/publish.test.ts': [
    "import '@jest/globals';",
    "import 'left-pad';",
    "import { publish } from '../src/index.ts';",
    'publish;',
    '',
  ].join('\n'),

  'data-services/commerce-service/package.json': workspacePackage(
    '@strata/commerce-service',
    { '.': './src/main.ts' },
    { '@strata/catalog': '0.1.0', '@strata/ordering': '0.1.0', '@strata/events': '0.1.0' },
  ),
  'data-services/commerce-service/src/main.ts': [
    "import { Course } from '@strata/catalog';",
    "import { Order } from '@strata/ordering';",
    "import { publish } from '@strata/events';",
    'publish(new Course());',
    'publish(new Order());',
    '',
  ].join('\n'),

  'application-services/learner-api/package.json': workspacePackage(
    '@strata/learner-api',
    { '.': './src/main.ts' },
    {
      '@strata/catalog': '0.1.0',
      '@strata/events': '0.1.0',
      '@nestjs/common': '1.0.0',
      'reflect-metadata': '1.0.0',
    },
  ),
  // reflect-metadata is a root devDependency too; declaring it here makes the production import fine.
  'application-services/learner-api/src/main.ts': [
    "import 'reflect-metadata';",
    "import '@nestjs/common';",
    "import { courseId } from '@strata/catalog/contract';",
    "import { publish } from '@strata/events';",
    'export const wiring = [courseId, publish];',
    '',
  ].join('\n'),
};

// npm workspaces link every package into node_modules/@strata; the fixture does the same so
// imports by package name resolve exactly as they do in the real tree.
const workspaceLinks: Readonly<Record<string, string>> = {
  'shared-kernel': 'shared-kernel',
  catalog: 'contexts/catalog',
  ordering: 'contexts/ordering',
  events: 'infra/events',
  'commerce-service': 'data-services/commerce-service',
  'learner-api': 'application-services/learner-api',
};

/** A fixture workspace on disk under the OS temp directory. */
export interface FixtureWorkspace {
  /** Real path (symlinks resolved), as dependency-cruiser reports paths relative to it. */
  readonly root: string;
  remove(): void;
}

/** Writes the clean workspace with `plant` laid over it (a plant may add or replace files). */
export function createFixtureWorkspace(plant: FixtureFiles = {}): FixtureWorkspace {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'strata-layer-rules-')));
  for (const [path, content] of Object.entries({ ...cleanWorkspace, ...plant })) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  const scope = join(root, 'node_modules', '@strata');
  mkdirSync(scope, { recursive: true });
  for (const [name, folder] of Object.entries(workspaceLinks)) {
    symlinkSync(relative(scope, join(root, folder)), join(scope, name), 'dir');
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
