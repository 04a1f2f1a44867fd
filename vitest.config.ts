import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: a couple of files at a time keeps real servers and child processes responsive.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
  },
});
