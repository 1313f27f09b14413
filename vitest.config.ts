import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every child process gets the cheapest key derivation this tool allows
    // (still OWASP's floor); the shipped default is tested separately.
    env: { SCHUILNAAM_KDF_PROFILE: 'owasp-floor' },
  },
});
