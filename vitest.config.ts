import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration tests start sandboxes and npm; two cores do not gain from more workers.
    maxWorkers: 2,
  },
});
