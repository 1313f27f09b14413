// bench users: `user remove` replaces every key the user held and seals the
// vault's records again, so its cost grows with the vault. Measured on a
// small and a large vault, against `worker list --json` (which decrypts every
// identity once) on the same vault, one CLI process each.
import fs from 'node:fs';
import path from 'node:path';
import { generateWorkers, header, int, rate, ratio, rows, sandbox, section, spread, summary, workersCsv, writeResults } from './lib.js';

/** Adds and joins a caseworker, so there is someone to remove. */
function enrol(sb, name) {
  const added = JSON.parse(sb.run(['user', 'add', name, '--role', 'caseworker', '--json', '--passphrase-file', sb.passFile]).stdout);
  const code = path.join(sb.dir, `${name}.code`);
  const pass = path.join(sb.dir, `${name}.pass`);
  fs.writeFileSync(code, `${added.enrolment_code}\n`, { mode: 0o600 });
  fs.writeFileSync(pass, `${name} heeft een lange wachtzin\n`, { mode: 0o600 });
  sb.run(['user', 'join', name, '--code-file', code, '--new-passphrase-file', pass]);
}

export async function run({ quick = false } = {}) {
  const P = { small_workers: quick ? 100 : 1_000, large_workers: quick ? 1_000 : 10_000, reps: quick ? 2 : 5 };
  const notes = [
    'each `user remove` removes a caseworker (keys replaced: casefacing, scan, audit): every worker\'s team is sealed again and the leak index written again from the names',
    'the vaults hold imported workers only (no cases or pseudonyms); every run unlocks with the passphrase file (owasp-floor KDF), `worker list --json` the same way, for the ratio',
    ...(quick ? ['--quick: sizes shrunk tenfold; do not compare these figures'] : []),
  ];
  const m = header('users', P, notes);
  const results = { benchmark: 'users', started_at: new Date().toISOString(), machine: m, params: P, notes, sizes: {} };
  for (const n of [P.small_workers, P.large_workers]) {
    const sb = sandbox(`users-${n}`);
    sb.init();
    const csv = path.join(sb.dir, 'workers.csv');
    fs.writeFileSync(csv, workersCsv(generateWorkers(n, { seed: 3 })));
    sb.run(['worker', 'import', csv, '--passphrase-file', sb.passFile]);
    const removeMs = [];
    const listMs = [];
    let resealed = 0;
    for (let i = 0; i < P.reps; i++) {
      enrol(sb, `cw${i}`);
      listMs.push(sb.run(['worker', 'list', '--json', '--passphrase-file', sb.passFile]).ms);
      const r = sb.run(['user', 'remove', `cw${i}`, '--yes', '--json', '--passphrase-file', sb.passFile]);
      resealed = JSON.parse(r.stdout).records_resealed;
      removeMs.push(r.ms);
    }
    const rm = summary(removeMs);
    const ls = summary(listMs);
    section(`user remove on a vault of ${int(n)} workers`);
    rows([
      ['user remove', spread(rm)],
      ['worker list --json', spread(ls)],
      ['remove / list', `${ratio(rm.median, ls.median)}×`],
      ['records sealed again', `${int(resealed)} (${int(rate(resealed, rm.median))} records/s, median run, process start and key derivation included)`],
    ]);
    results.sizes[n] = { remove_ms: rm, list_ms: ls, remove_over_list: ratio(rm.median, ls.median), records_resealed: resealed };
  }
  const s = results.sizes[P.small_workers];
  const l = results.sizes[P.large_workers];
  section('scaling');
  rows([[`remove ${int(P.large_workers)} / remove ${int(P.small_workers)}`, `${ratio(l.remove_ms.median, s.remove_ms.median)}× for ${ratio(P.large_workers, P.small_workers)}× the workers`]]);
  results.large_over_small = ratio(l.remove_ms.median, s.remove_ms.median);
  writeResults('users', results);
}
