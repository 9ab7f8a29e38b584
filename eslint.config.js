// ESLint flat config. typescript-eslint's recommended rules without type information: a type-aware
// run costs more than this small shared machine can spare, and `npm run typecheck` already runs tsc.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TEST_FILES = ['**/test/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', '**/*.test.ts'];

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
