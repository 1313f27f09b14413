import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A private temp folder per run, checked for leftovers at the end.
    globalSetup: ['tests/helpers/global-tmp.ts'],
    // CI reads a plain pass/fail count from this file (see .ci/run).
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/results.json' }]] : ['default'],
    // Every child process gets the cheapest key derivation this tool allows
    // (still OWASP's floor); the shipped default is tested separately.
    env: { SCHUILNAAM_KDF_PROFILE: 'owasp-floor' },
  },
});
