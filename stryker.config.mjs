// Mutation testing of the security core (issue #16, docs/testing.md).
// `npm run mutate` runs it; results are kept in reports/ and the incremental
// file lets a later run re-test only the mutants whose code or tests changed.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  coverageAnalysis: 'perTest',
  mutate: [
    'src/crypto/**/*.ts',
    'src/core/leak-*.ts',
    'src/store/**/*.ts',
    'src/vault/audit.ts',
    'src/vault/verify.ts',
    'src/vault/session.ts',
    'src/vault/keyslots.ts',
    'src/vault/sealing.ts',
    'src/vault/scanner.ts',
    'src/vault/scan-index.ts',
    'src/vault/integrity.ts',
    // Users and roles (issue #9): replacing keys after a user is removed.
    'src/vault/key-rotation.ts',
    'src/vault/user-removal.ts',
    'src/vault/org-key.ts',
  ],
  // Module-level code (SQL schema text, lookup tables, constants) runs once per
  // test file, so each such "static" mutant needs the whole suite reloaded:
  // 45 % of the mutants, 93 % of the time. They are reported as ignored;
  // `npm run mutate:static` tests them too (stryker.static.config.mjs).
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: 90 },
  concurrency: 2,
  // On top of 1.5 times the covering tests' own time: enough on a loaded machine;
  // a mutant that loops forever (timeout counts as detected) costs this much.
  timeoutMS: 10000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
