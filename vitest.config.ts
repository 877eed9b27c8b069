import { defineConfig } from 'vitest/config';

// `quarry-source` makes workspace packages resolve to their TypeScript sources in tests,
// so tests never run against a stale build.
const resolve = { conditions: ['quarry-source'] };

export default defineConfig({
  resolve,
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: [
            'packages/*/src/**/*.itest.ts',
            'examples/**/*.itest.ts',
            'bench/**/*.itest.ts',
          ],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration tests share the local PostgreSQL server; files run one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
