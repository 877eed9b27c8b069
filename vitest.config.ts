import { defineConfig } from 'vitest/config';

// `quarry-source` makes workspace packages resolve to their TypeScript sources in tests,
// so tests never run against a stale build.
const resolve = { conditions: ['quarry-source', 'node', 'import', 'default'] };
const ssr = { resolve: { conditions: ['quarry-source'], externalConditions: ['quarry-source'] } };

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          include: [
            'packages/*/src/**/*.itest.ts',
            'examples/**/*.itest.ts',
            'bench/**/*.itest.ts',
            'packages/web/e2e/**/*.itest.ts',
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
