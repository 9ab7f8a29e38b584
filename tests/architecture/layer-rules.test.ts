import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { createFixtureWorkspace, type FixtureFiles, type FixtureWorkspace } from './fixture-workspace.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..');
const realConfig = join(repositoryRoot, '.dependency-cruiser.cjs');

interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

// The cruise runs the real rule set; only where to look (baseDir, its tsconfig) points at the fixture.
async function violationsIn(workspace: FixtureWorkspace): Promise<Violation[]> {
  const options = await extractDepcruiseOptions(realConfig);
  const tsConfigFile = join(workspace.root, 'tsconfig.json');
  const { output } = await cruise(
    ['.'],
    { ...options, baseDir: workspace.root, tsConfig: { fileName: tsConfigFile } },
    {},
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  const result = output as ICruiseResult;
  return result.summary.violations
    .map(({ rule, from, to }) => ({ rule: rule.name, from, to }))
    .sort((a, b) => `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`));
}

// Exactly what `npm run lint:layers` runs, with the fixture as the working directory.
function lintLayersIn(workspace: FixtureWorkspace): { exitCode: number | null; output: string } {
  const script = (
    JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts['lint:layers'];
  if (script === undefined) throw new Error('package.json has no "lint:layers" script');
  copyFileSync(realConfig, join(workspace.root, '.dependency-cruiser.cjs'));
  const run = spawnSync('sh', ['-c', script], {
    cwd: workspace.root,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${join(repositoryRoot, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`,
    },
  });
  return { exitCode: run.status, output: `${run.stdout}${run.stderr}` };
}

interface Plant {
  readonly sentence: string;
  readonly files: FixtureFiles;
  readonly reported: readonly Violation[];
}

const plants: readonly Plant[] = [
  {
    sentence: 'a context may not import NestJS (or any npm package)',
    files: {
      'contexts/catalog/package.json': JSON.stringify({
        name: '@strata/catalog',
        type: 'module',
        exports: { '.': './src/index.ts', './contract': './src/contract.ts' },
        dependencies: { '@strata/shared-kernel': '0.1.0', '@nestjs/common': '1.0.0' },
      }),
      'contexts/catalog/src/domain/course-controller.ts': "import '@nestjs/common';\n",
    },
    reported: [
      {
        rule: 'context-imports-no-npm-package',
        from: 'contexts/catalog/src/domain/course-controller.ts',
        to: 'node_modules/@nestjs/common/index.js',
      },
    ],
  },
  {
    sentence: 'a context may not do I/O through a Node.js builtin',
    files: {
      'contexts/catalog/src/domain/course-file.ts':
        "import { readFile } from 'node:fs';\nexport { readFile };\n",
    },
    reported: [
      // dependency-cruiser names builtins without the node: prefix.
      { rule: 'context-does-no-io', from: 'contexts/catalog/src/domain/course-file.ts', to: 'fs' },
    ],
  },
  {
    sentence: "an application service may not import a context's domain",
    files: {
      'application-services/learner-api/src/course-view.ts':
        "import { Course } from '../../../contexts/catalog/src/domain/course.ts';\nexport const view = Course;\n",
    },
    reported: [
      {
        rule: 'application-service-imports-only-context-contracts',
        from: 'application-services/learner-api/src/course-view.ts',
        to: 'contexts/catalog/src/domain/course.ts',
      },
    ],
  },
  {
    sentence: "an application service may not import a context's package root, only its contract",
    files: {
      'application-services/learner-api/src/course-view.ts':
        "import { Course } from '@strata/catalog';\nexport const view = Course;\n",
    },
    reported: [
      {
        rule: 'application-service-imports-only-context-contracts',
        from: 'application-services/learner-api/src/course-view.ts',
        to: 'contexts/catalog/src/index.ts',
      },
    ],
  },
  {
    sentence: 'an application service may not import a data service',
    files: {
      'application-services/learner-api/src/shortcut.ts':
        "import '../../../data-services/commerce-service/src/main.ts';\n",
    },
    reported: [
      {
        rule: 'application-service-never-imports-data-service',
        from: 'application-services/learner-api/src/shortcut.ts',
        to: 'data-services/commerce-service/src/main.ts',
      },
    ],
  },
  {
    sentence: 'infra may not import a context',
    files: {
      'infra/events/src/course-topic.ts':
        "import { Course } from '@strata/catalog';\nexport const topic = Course.name;\n",
    },
    reported: [
      {
        rule: 'infra-knows-no-business',
        from: 'infra/events/src/course-topic.ts',
        to: 'contexts/catalog/src/index.ts',
      },
    ],
  },
  {
    sentence: 'a data service may not import an application service',
    files: {
      'data-services/commerce-service/src/upward.ts': "import '@strata/learner-api';\n",
    },
    reported: [
      {
        rule: 'data-service-never-imports-application-service',
        from: 'data-services/commerce-service/src/upward.ts',
        to: 'application-services/learner-api/src/main.ts',
      },
    ],
  },
  {
    sentence:
      "a data service's folder for one context may import another context's contract, never its domain",
    files: {
      'data-services/commerce-service/src/ordering/offers.ts': [
        "import { Course } from '@strata/catalog';",
        "import { courseId } from '@strata/catalog/contract';",
        "import { Order } from '@strata/ordering';",
        'export const offers = [Course, courseId, Order];',
        '',
      ].join('\n'),
    },
    reported: [
      {
        rule: 'hosted-context-reads-other-contexts-only-through-their-contracts',
        from: 'data-services/commerce-service/src/ordering/offers.ts',
        to: 'contexts/catalog/src/index.ts',
      },
    ],
  },
  {
    sentence: 'a context may not import another context',
    files: {
      'contexts/ordering/src/domain/order-line.ts':
        "import { Course } from '@strata/catalog';\nexport const line = Course;\n",
    },
    reported: [
      {
        rule: 'context-imports-no-other-context',
        from: 'contexts/ordering/src/domain/order-line.ts',
        to: 'contexts/catalog/src/index.ts',
      },
    ],
  },
  {
    sentence: 'a context may not import infra',
    files: {
      'contexts/ordering/src/domain/order-events.ts':
        "import { publish } from '@strata/events';\nexport const emit = publish;\n",
    },
    reported: [
      {
        rule: 'context-imports-only-shared-kernel',
        from: 'contexts/ordering/src/domain/order-events.ts',
        to: 'infra/events/src/index.ts',
      },
    ],
  },
  {
    sentence: 'the shared kernel may not import infra',
    files: {
      'shared-kernel/src/event-bus.ts':
        "import { publish } from '@strata/events';\nexport const bus = publish;\n",
    },
    reported: [
      {
        rule: 'shared-kernel-imports-nothing-of-ours',
        from: 'shared-kernel/src/event-bus.ts',
        to: 'infra/events/src/index.ts',
      },
    ],
  },
  {
    sentence: 'the shared kernel may not depend on an npm package other than zod and uuid',
    files: {
      'shared-kernel/package.json': JSON.stringify({
        name: '@strata/shared-kernel',
        type: 'module',
        exports: { '.': './src/index.ts' },
        dependencies: { zod: '1.0.0', uuid: '1.0.0', 'left-pad': '1.0.0' },
      }),
      'shared-kernel/src/padding.ts': "import 'left-pad';\n",
    },
    reported: [
      {
        rule: 'shared-kernel-uses-only-zod-and-uuid',
        from: 'shared-kernel/src/padding.ts',
        to: 'node_modules/left-pad/index.js',
      },
    ],
  },
  {
    sentence: 'the payment simulator may not import the platform',
    files: {
      'tools/payment-simulator/src/shortcut.ts': "import '../../../infra/events/src/index.ts';\n",
    },
    reported: [
      {
        rule: 'payment-simulator-is-an-outside-system',
        from: 'tools/payment-simulator/src/shortcut.ts',
        to: 'infra/events/src/index.ts',
      },
    ],
  },
  {
    sentence: 'shipped platform code may not import the payment simulator',
    files: {
      'tools/payment-simulator/src/ledger.ts': 'export const ledger = 1;\n',
      'infra/events/src/pay.ts': "import '../../../tools/payment-simulator/src/ledger.ts';\n",
    },
    reported: [
      {
        rule: 'platform-reaches-payment-simulator-only-over-http',
        from: 'infra/events/src/pay.ts',
        to: 'tools/payment-simulator/src/ledger.ts',
      },
    ],
  },
  {
    sentence: 'modules may not depend on each other in a circle',
    files: {
      'infra/events/src/relay.ts': "import './outbox.ts';\nexport const relay = 1;\n",
      'infra/events/src/outbox.ts': "import './relay.ts';\nexport const outbox = 1;\n",
    },
    // A cycle is reported once, at the edge where the cruise first closes it.
    reported: [
      {
        rule: 'no-circular-dependencies',
        from: 'infra/events/src/outbox.ts',
        to: 'infra/events/src/relay.ts',
      },
    ],
  },
  {
    sentence: 'an import must resolve',
    files: { 'infra/events/src/typo.ts': "import './releay.ts';\n" },
    reported: [{ rule: 'no-unresolvable-imports', from: 'infra/events/src/typo.ts', to: './releay.ts' }],
  },
  {
    sentence: 'production code may not import a devDependency',
    files: { 'infra/events/src/test-helper.ts': "import '@jest/globals';\n" },
    reported: [
      {
        rule: 'production-code-uses-no-dev-dependency',
        from: 'infra/events/src/test-helper.ts',
        to: 'node_modules/@jest/globals/index.js',
      },
    ],
  },
  {
    sentence: 'an npm package must be declared by the package that imports it',
    files: { 'infra/events/src/pad.ts': "import 'left-pad';\n" },
    reported: [
      {
        rule: 'npm-packages-are-declared',
        from: 'infra/events/src/pad.ts',
        to: 'node_modules/left-pad/index.js',
      },
    ],
  },
];

describe('layer rules (.dependency-cruiser.cjs)', () => {
  const workspaces: FixtureWorkspace[] = [];
  const fixture = (files?: FixtureFiles): FixtureWorkspace => {
    const workspace = createFixtureWorkspace(files);
    workspaces.push(workspace);
    return workspace;
  };
  afterEach(() => {
    for (const workspace of workspaces.splice(0)) workspace.remove();
  });

  it('a workspace that keeps every layer rule has no violations', async () => {
    expect(await violationsIn(fixture())).toEqual([]);
  });

  it.each(plants)('$sentence', async ({ files, reported }) => {
    expect(await violationsIn(fixture(files))).toEqual(reported);
  });

  it('every rule in the config is proven by a planted violation', async () => {
    const { ruleSet } = await extractDepcruiseOptions(realConfig);
    const proven = new Set(plants.flatMap((plant) => plant.reported.map((violation) => violation.rule)));
    expect(
      (ruleSet?.forbidden ?? []).map((rule) => rule.name).filter((name) => !proven.has(name ?? '')),
    ).toEqual([]);
  });

  it('npm run lint:layers passes on a workspace that keeps every rule', () => {
    const { exitCode, output } = lintLayersIn(fixture());
    expect(`exit ${exitCode}\n${output}`).toMatch(/^exit 0\n/);
  });

  it('npm run lint:layers fails and names every broken rule when violations are planted', () => {
    const everyPlant = Object.assign({}, ...plants.map((plant) => plant.files)) as FixtureFiles;
    const { exitCode, output } = lintLayersIn(fixture(everyPlant));
    expect(exitCode).not.toBe(0);
    const named = new Set(plants.flatMap((plant) => plant.reported.map((violation) => violation.rule)));
    for (const rule of named) expect(output).toContain(rule);
  });

  it('npm run lint:layers passes on the real tree', () => {
    const run = spawnSync('npm', ['run', '--silent', 'lint:layers'], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    });
    // The whole output is in the expectation so a failure shows which rule the tree broke.
    expect(`exit ${run.status}\n${run.stdout}${run.stderr}`).toMatch(/^exit 0\n/);
  });
});
