// Benchmark runner: `npm run bench` runs all, `npm run bench -- NAME…` some.
// `--quick` shrinks every size tenfold for a smoke run (figures not comparable).
import { cleanupAll, ensureBuilt } from './lib.js';

const BENCHMARKS = {
  vault: () => import('./vault.js'),
  pseudonyms: () => import('./pseudonyms.js'),
  scan: () => import('./scan.js'),
  render: () => import('./render.js'),
  users: () => import('./users.js'),
};

const args = process.argv.slice(2);
const options = { quick: args.includes('--quick') };
const names = args.filter((a) => !a.startsWith('--'));
const unknownOption = args.find((a) => a.startsWith('--') && a !== '--quick');
const unknown = names.filter((n) => !Object.hasOwn(BENCHMARKS, n));
if (unknown.length > 0 || unknownOption) {
  console.error(`bench: unknown ${unknownOption ? `option ${unknownOption}` : `benchmark ${unknown.map((n) => `"${n}"`).join(', ')}`}`);
  console.error(`usage: npm run bench [-- NAME… [--quick]]; benchmarks: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanupAll();
    process.exit(130);
  });
}

ensureBuilt();
let failed = false;
for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
  try {
    const mod = await BENCHMARKS[name]();
    await mod.run(options);
  } catch (e) {
    failed = true;
    console.error(`\nbench ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } finally {
    cleanupAll();
  }
}
process.exitCode = failed ? 1 : 0;
