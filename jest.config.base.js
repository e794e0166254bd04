// Shared by every package: ESM TypeScript through SWC (NestJS 12 is ESM-only).
import { fileURLToPath } from 'node:url';

/** For the packages whose tests use PostgreSQL: an embedded server when none is there. */
export const testDatabaseServer = {
  globalSetup: fileURLToPath(new URL('./jest.test-database-setup.js', import.meta.url)),
  globalTeardown: fileURLToPath(new URL('./jest.test-database-teardown.js', import.meta.url)),
};

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  // Sources import `./x.js` (NodeNext); the test runner resolves the `.ts` file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'es6' },
      },
    ],
  },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testTimeout: 60_000,
};
