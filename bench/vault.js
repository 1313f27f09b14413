// bench vault:
//  (a) passwd costs one key derivation, whatever the vault's size;
//  (b) bulk `worker import` throughput through the CLI, against process start;
//  (c) `worker list --json` on a large vault, against process start.
import fs from 'node:fs';
import path from 'node:path';
import {
  PASSPHRASE,
  generateWorkers,
  header,
  int,
  interleaved,
  ms,
  openVault,
  rate,
  ratio,
  round,
  rows,
  sandbox,
  section,
  spread,
  startRunners,
  summary,
  surnameStats,
  workersCsv,
  writeResults,
} from './lib.js';

export async function run({ quick = false } = {}) {
  const P = {
    large_workers: quick ? 1_000 : 10_000,
    small_workers: 10,
    import_reps: quick ? 2 : 3,
    start_runs_per_import: 5,
    list_reps: quick ? 3 : 10,
    passwd_reps_owasp_floor: quick ? 5 : 15,
    passwd_reps_moderate: quick ? 2 : 7,
    kdf_profiles: 'owasp-floor,moderate',
  };
  const notes = [
    'vaults are created with SCHUILNAAM_KDF_PROFILE=owasp-floor (19 MiB, 2 passes); CLI runs after setup use a SCHUILNAAM_SESSION, so no key derivation is timed in (b) and (c)',
    '(a) measures the KDF itself: passwd is timed with the owasp-floor profile and with the shipped default "moderate" (256 MiB, 3 passes)',
    'every CLI time is one `node bin/schuilnaam.js …` process, start to exit, via spawnSync',
    ...(quick ? ['--quick: sizes shrunk tenfold; do not compare these figures'] : []),
  ];
  const m = header('vault', P, notes);
  const results = { benchmark: 'vault', started_at: new Date().toISOString(), machine: m, params: P, notes };

  // --- setup: vaults through the CLI ------------------------------------
  const workers = generateWorkers(P.large_workers, { seed: 1 });
  const small = generateWorkers(P.small_workers, { seed: 2 });
  const surnames = await surnameStats(workers);
  const largeBoxes = [];
  for (let i = 0; i < P.import_reps; i++) {
    const sb = sandbox(`vault-large${i}`);
    sb.init();
    sb.unlock();
    largeBoxes.push(sb);
  }
  const csvFile = path.join(largeBoxes[0].dir, 'workers.csv');
  fs.writeFileSync(csvFile, workersCsv(workers));
  const smallBox = sandbox('vault-small');
  smallBox.init();
  smallBox.unlock();
  const smallCsv = path.join(smallBox.dir, 'workers.csv');
  fs.writeFileSync(smallCsv, workersCsv(small));
  smallBox.run(['worker', 'import', smallCsv]);
  const start = startRunners(smallBox);

  // --- (b) bulk import through the CLI ------------------------------------
  section(`(b) worker import of ${int(P.large_workers)} rows through the CLI (one process each, fresh vault each time)`);
  const importMs = [];
  const versionMs = [];
  const nodeMs = [];
  start.version(); // warm-up, not counted
  start.node();
  for (const sb of largeBoxes) {
    const r = sb.run(['worker', 'import', csvFile, '--json']);
    const imported = JSON.parse(r.stdout).imported;
    if (imported !== P.large_workers) throw new Error(`imported ${imported}, expected ${P.large_workers}`);
    importMs.push(r.ms);
    for (let k = 0; k < P.start_runs_per_import; k++) {
      versionMs.push(start.version());
      nodeMs.push(start.node());
    }
  }
  const imp = summary(importMs);
  const ver = summary(versionMs);
  const nod = summary(nodeMs);
  const csvBytes = fs.statSync(csvFile).size;
  rows([
    ['import (whole process)', spread(imp)],
    ['throughput', `${int(rate(P.large_workers, imp.median))} workers/s (median run, process start included)`],
    ['throughput beyond start', `${int(rate(P.large_workers, imp.median - ver.median))} workers/s (median import − median --version)`],
    ['schuilnaam --version', spread(ver)],
    ['node -e ""', spread(nod)],
    ['import / --version', `${ratio(imp.median, ver.median)}×`],
    ['CSV', `${int(csvBytes)} bytes; real-surname workers: ${surnames.distinct_real_surnames} distinct real surnames of ${surnames.distinct_worker_surnames} distinct surnames`],
  ]);
  results.import = {
    workers: P.large_workers,
    csv_bytes: csvBytes,
    import_ms: imp,
    version_ms: ver,
    node_ms: nod,
    workers_per_s: rate(P.large_workers, imp.median),
    workers_per_s_beyond_start: rate(P.large_workers, imp.median - ver.median),
    import_over_version: ratio(imp.median, ver.median),
    surnames,
  };

  // --- (c) worker list --json ---------------------------------------------
  section(`(c) worker list --json: ${int(P.large_workers)} workers vs ${P.small_workers} vs process start (interleaved)`);
  const large = largeBoxes[0];
  const listed = await interleaved(
    {
      listLarge: () => {
        const r = large.run(['worker', 'list', '--json']);
        const n = JSON.parse(r.stdout).length;
        if (n !== P.large_workers) throw new Error(`worker list gave ${n} workers`);
        return r.ms;
      },
      listSmall: () => smallBox.run(['worker', 'list', '--json']).ms,
      version: start.version,
      node: start.node,
    },
    P.list_reps,
  );
  const lL = summary(listed.listLarge);
  const lS = summary(listed.listSmall);
  const lV = summary(listed.version);
  const lN = summary(listed.node);
  rows([
    [`list, ${int(P.large_workers)} workers`, spread(lL)],
    [`list, ${P.small_workers} workers`, spread(lS)],
    ['schuilnaam --version', spread(lV)],
    ['node -e ""', spread(lN)],
    [`list ${int(P.large_workers)} / --version`, `${ratio(lL.median, lV.median)}×`],
    [`list ${P.small_workers} / --version`, `${ratio(lS.median, lV.median)}×`],
    ['list beyond start', `${ms(lL.median - lV.median)} for ${int(P.large_workers)} workers = ${int(rate(P.large_workers, lL.median - lV.median))} workers/s`],
  ]);
  results.list = {
    large_ms: lL,
    small_ms: lS,
    version_ms: lV,
    node_ms: lN,
    large_over_version: ratio(lL.median, lV.median),
    small_over_version: ratio(lS.median, lV.median),
    workers_per_s_beyond_start: rate(P.large_workers, lL.median - lV.median),
  };

  // --- (a) passwd vs one key derivation -----------------------------------
  section(`(a) passwd (in-process vault.changePassphrase) vs one bare KDF, ${P.small_workers} vs ${int(P.large_workers)} workers`);
  const { deriveKek, newKdfParams, KDF_PROFILES } = await import('../dist/crypto/kdf.js');
  const { systemRandom } = await import('../dist/crypto/random.js');
  const { wipe } = await import('../dist/crypto/sodium.js');
  const pass = { small: PASSPHRASE, large: PASSPHRASE };
  let counter = 0;
  results.passwd = {};
  const table = [];
  for (const profile of ['owasp-floor', 'moderate']) {
    const reps = profile === 'moderate' ? P.passwd_reps_moderate : P.passwd_reps_owasp_floor;
    const vSmall = await openVault(smallBox.vault, profile, pass.small);
    const vLarge = await openVault(large.vault, profile, pass.large);
    const change = (v, which) => {
      const next = `a new passphrase number ${++counter}`;
      const t0 = performance.now();
      const kdf = v.changePassphrase(Buffer.from(next, 'utf8'));
      const elapsed = performance.now() - t0;
      pass[which] = next;
      if (kdf.memlimit !== KDF_PROFILES[profile].memlimit) throw new Error(`passwd used memlimit ${kdf.memlimit}, expected the ${profile} profile`);
      return elapsed;
    };
    let t;
    try {
      t = await interleaved(
        {
          kdf: () => {
            const params = newKdfParams(profile, systemRandom);
            const p = Buffer.from(`a new passphrase number ${++counter}`, 'utf8');
            const t0 = performance.now();
            const kek = deriveKek(p, params);
            const elapsed = performance.now() - t0;
            wipe(kek);
            return elapsed;
          },
          small: () => change(vSmall, 'small'),
          large: () => change(vLarge, 'large'),
        },
        reps,
      );
    } finally {
      vSmall.close();
      vLarge.close();
    }
    const k = summary(t.kdf);
    const s = summary(t.small);
    const l = summary(t.large);
    const p = KDF_PROFILES[profile];
    results.passwd[profile] = {
      opslimit: p.opslimit,
      memlimit_mib: p.memlimit / 2 ** 20,
      kdf_ms: k,
      passwd_small_ms: s,
      passwd_large_ms: l,
      small_minus_kdf_ms: round(s.median - k.median),
      large_minus_kdf_ms: round(l.median - k.median),
      large_minus_small_ms: round(l.median - s.median),
      small_over_kdf: ratio(s.median, k.median),
      large_over_kdf: ratio(l.median, k.median),
    };
    table.push([`${profile} (${p.opslimit} passes, ${p.memlimit / 2 ** 20} MiB), n=${reps}`, '']);
    table.push(['  bare KDF (deriveKek)', spread(k)]);
    table.push([`  passwd, ${P.small_workers} workers`, `${spread(s)}  → −KDF ${ms(s.median - k.median)}, ×${ratio(s.median, k.median)}`]);
    table.push([`  passwd, ${int(P.large_workers)} workers`, `${spread(l)}  → −KDF ${ms(l.median - k.median)}, ×${ratio(l.median, k.median)}`]);
    table.push([`  large − small`, ms(l.median - s.median)]);
  }
  // The claim: passwd ≈ one KDF, independent of size. Thresholds: passwd within
  // 10% of a bare KDF, and the large vault within 5% of a KDF (at least 2 ms) of the small one.
  const holds = Object.values(results.passwd).every(
    (r) => r.small_over_kdf <= 1.1 && r.large_over_kdf <= 1.1 && Math.abs(r.large_minus_small_ms) <= Math.max(2, 0.05 * r.kdf_ms.median),
  );
  results.passwd_claim_holds = holds;
  table.push([
    'claim "passwd ≈ one KDF, independent of size"',
    `${holds ? 'holds' : 'DOES NOT HOLD'} (passwd/KDF ≤ 1.1 and |large − small| ≤ max(2 ms, 5% of a KDF), each profile)`,
  ]);
  rows(table);
  // The last passphrase must open both vaults: passwd really rewrapped the keyslot.
  for (const [which, file] of [['small', smallBox.vault], ['large', large.vault]]) {
    const v = await openVault(file, 'owasp-floor', pass[which]);
    v.close();
  }
  console.log('  (checked: both vaults open with the last new passphrase)');

  results.finished_at = new Date().toISOString();
  writeResults('vault', results);
  return results;
}

