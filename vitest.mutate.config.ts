// Vitest settings for mutation testing (npm run mutate): only the in-process
// tests. The end-to-end tests run the built CLI from dist/, which never
// contains Stryker's mutants, so running them would only cost time.
import { defineConfig } from 'vitest/config';
import base from './vitest.config';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['tests/unit/**/*.test.ts'],
    // Stryker runs tests in worker threads, where setting TZ does not change
    // the time zone; these tests cover templates and dates, outside the
    // mutated modules, and run in npm test.
    exclude: ['tests/unit/template.test.ts'],
    reporters: ['default'],
    env: { ...base.test?.env, SCHUILNAAM_MUTATION: '1' },
  },
});
