// `npm run mutate:static`: the same run with static mutants tested too (code
// that runs once when a module loads: SQL schema text, tables, constants).
// Each needs every test file reloaded, so this takes many times longer than
// `npm run mutate` (docs/testing.md).
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  ignoreStatic: false,
  incrementalFile: 'reports/stryker-incremental-static.json',
  htmlReporter: { fileName: 'reports/mutation-static/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation-static/mutation.json' },
};
