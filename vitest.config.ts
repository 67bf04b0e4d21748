import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temporary folder per run, removed at its end (test/support/run-tmpdir.ts).
    globalSetup: ['./test/support/run-tmpdir.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Two cores here and on the Pi: keep workers few so heavy decode tests do not starve each other.
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
