// ESLint flat config. typescript-eslint's recommended rules without type information: a type-aware
// run costs more than this small shared machine can spare, and `npm run typecheck` already runs tsc.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TEST_FILES = ['**/test/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', '**/*.test.ts'];

// ADR 0008: one convention for private members, `#`; TypeScript's `private` is only a compile-time hint.
const HASH_PRIVATE_ONLY = [
  {
    selector: "PropertyDefinition[accessibility='private'], TSParameterProperty[accessibility='private']",
    message: 'Private state is a `#` field (ADR 0008), not TypeScript `private`.',
  },
  {
    selector: "MethodDefinition[accessibility='private'][kind!='constructor']",
    message: 'A private method is a `#` method (ADR 0008), not TypeScript `private`.',
  },
];

// An aggregate (or an entity inside one) changes only through its methods: no field anyone may assign.
const AGGREGATE_STATE_IS_PRIVATE = [
  {
    selector:
      "ClassDeclaration[superClass.name=/^(AggregateRoot|Entity)$/] > ClassBody > PropertyDefinition[key.type!='PrivateIdentifier'][readonly!=true]",
    message:
      'An aggregate exposes no public mutable state: keep it in a `#` field and expose a getter (ADR 0008).',
  },
  {
    selector:
      "ClassDeclaration[superClass.name=/^(AggregateRoot|Entity)$/] > ClassBody > MethodDefinition[kind='set']",
    message: 'An aggregate exposes no setter: state changes through its domain methods (ADR 0008).',
  },
];

// Folders whose code follows ADR 0008 so far; the rest of infra/* joins as it is converted (see the ADR).
const HASH_PRIVATE_FOLDERS = [
  'shared-kernel/src/**',
  'data-services/*/src/**',
  'tools/*/src/**',
  'infra/cache/src/**',
  'infra/persistence/src/**',
];

const focusedOrSkipped =
  'Focused and skipped tests hide failures from CI: remove .only/.skip/.todo (and f/x prefixes) before committing.';

export default defineConfig(
  {
    ignores: [
      '**/node_modules/',
      '.toolchain/',
      '.stack/',
      '.strata/',
      'coverage/',
      'dist/',
      'docs/ubiquitous-language/',
      'docs/site/',
    ],
  },
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      parserOptions: {
        // Mirrors tsconfig: NestJS constructor injection needs the runtime import of a parameter's
        // type, so consistent-type-imports must not turn those imports into `import type`.
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      // With verbatimModuleSyntax a type imported as a value is kept at runtime; say which is which.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
    },
  },
  {
    // The domain and the kernel do no I/O, logging included: they record events and throw errors.
    files: ['shared-kernel/**', 'contexts/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // Contracts, configuration and boundaries validate with the kernel's zod, so there is one zod.
    ignores: ['shared-kernel/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', message: "Import z from '@strata/shared-kernel', the one zod of the platform." },
          ],
          patterns: [
            {
              group: ['zod/*'],
              message: "Import z from '@strata/shared-kernel', the one zod of the platform.",
            },
          ],
        },
      ],
    },
  },
  {
    files: HASH_PRIVATE_FOLDERS,
    ignores: TEST_FILES,
    rules: { 'no-restricted-syntax': ['error', ...HASH_PRIVATE_ONLY] },
  },
  {
    files: ['contexts/*/src/**'],
    rules: { 'no-restricted-syntax': ['error', ...HASH_PRIVATE_ONLY, ...AGGREGATE_STATE_IS_PRIVATE] },
  },
  {
    files: TEST_FILES,
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'MemberExpression[object.name=/^(describe|it|test)$/][property.name=/^(only|skip|todo)$/]',
          message: focusedOrSkipped,
        },
        { selector: 'Identifier[name=/^[fx](describe|it|test)$/]', message: focusedOrSkipped },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
