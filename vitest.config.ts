import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Fails the run if any process a test started is still alive at the end.
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Two files at a time (vitest's default on two cores is one). Most of the suite waits on
    // processes, sockets and the replayed image build rather than computing, and the build's
    // native compile uses one core: run alone, the files took 936 s end to end on a slow two-core
    // machine (2 Dec 2026), with the production-recipe replay 187 s of it.
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
