// One jest run covers every package. Sources are TypeScript ES modules run without a build:
// @swc/jest strips types (and, for the NestJS apps, applies legacy decorators with metadata),
// and jest runs them as native ESM (node --experimental-vm-modules, see package.json). The SWC
// settings are the ones the platform runs with (`--import @strata/runtime/typescript`).
import swcOptions from '@strata/runtime/swc-options' with { type: 'json' };

const swc = ['@swc/jest', swcOptions];

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/', '/.toolchain/', '/.stack/'],
};

/** @type {import('jest').Config} */
export default {
  // Integration tests talk to real MariaDB, Kafka, etcd and child processes on a shared 2-core
  // machine: the bound is for a hung test, not a speed check, and jest's 5 s default fails
  // slow-but-fine ones. It must be set here: jest reads testTimeout from the global config only,
  // and ignores it inside a project.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/shared-kernel/test/**/*.test.ts', '<rootDir>/contexts/*/test/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/infra/*/test/**/*.test.ts',
        '<rootDir>/data-services/*/test/**/*.test.ts',
        '<rootDir>/application-services/*/test/**/*.test.ts',
        '<rootDir>/tests/**/*.test.ts',
        '<rootDir>/tools/*/test/**/*.test.ts',
      ],
    },
  ],
};
