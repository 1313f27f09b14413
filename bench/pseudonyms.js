// bench pseudonyms: issuing 50,000 pseudonyms in a vault of 10,000 workers and
// 20,000 cases must not slow down as the vault fills; `pseudonym get` through
// the CLI must cost little more than starting the process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  TEAMS,
  createVault,
  generateWorkers,
  header,
  importRows,
  int,
  interleaved,
  median,
  ms,
  openVault,
  prng,
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
  tempDir,
  timeSync,
  writeResults,
} from './lib.js';

export async function run({ quick = false } = {}) {
  const scale = quick ? 10 : 1;
  const P = {
    workers: 10_000 / scale,
    cases: 20_000 / scale,
    workers_per_case: '2-3 (half of the cases each)',
    pseudonyms: 50_000 / scale,
    slice: 10_000 / scale,
    chunk: 500 / scale,
    warmup_gets: 2_000 / scale,
    teams: TEAMS.length,
    teams_with_own_settings: TEAMS.length / 2,
    cli_runs: quick ? 8 : 30,
    seed: 7,
  };
  const notes = [
    'the vault is created in-process with the owasp-floor KDF profile (19 MiB, 2 passes); no key derivation is timed here',
    `all ${int(P.pseudonyms)} pseudonyms are issued through vault.pseudonyms.get(ref, workerId) into one vault, in chunks of ${int(P.chunk)}, ` +
      'the chunks alternating between two ways: "as is" = one get after the other, each in its own write transaction and commit (as the CLI does); ' +
      '"outer tx" = the chunk inside one vault.ctx.store.transaction(); so both are measured at the same vault sizes',
    'CLI runs use a SCHUILNAAM_SESSION from `unlock` (no key derivation); each is one process, start to exit, via spawnSync',
    ...(quick ? ['--quick: sizes shrunk tenfold; do not compare these figures'] : []),
  ];
  const m = header('pseudonyms', P, notes);
  const results = { benchmark: 'pseudonyms', started_at: new Date().toISOString(), machine: m, params: P, notes };
  const rnd = prng(P.seed);

  // --- setup --------------------------------------------------------------
  section('setup (in-process)');
  const tmp = tempDir('pseudonyms');
  const fileA = path.join(tmp.dir, 'vault.db');
  await createVault(fileA, 'owasp-floor');
  const workers = generateWorkers(P.workers, { seed: P.seed });
  const surnames = await surnameStats(workers);
  const setup = {};
  const v = await openVault(fileA);
  let ids;
  try {
    const imp = timeSync(() => v.workers.import(importRows(workers)));
    ids = imp.value;
    setup.import_ms = round(imp.ms);
    for (const team of TEAMS.slice(0, P.teams_with_own_settings)) v.teams.set(team, { style: 'name', scope: 'case' });
    const refs = Array.from({ length: P.cases }, (_, i) => `JB-2026-${String(i + 1).padStart(5, '0')}`);
    const added = timeSync(() =>
      v.ctx.store.transaction(() => {
        for (const ref of refs) v.cases.add(ref, rnd.pick(TEAMS), rnd.next() < 0.1 ? 'high' : 'normal');
      }),
    );
    setup.cases_ms = round(added.ms);
    // Exactly `pseudonyms` assignments: half the cases get 3 workers, the rest 2.
    const three = P.pseudonyms - 2 * P.cases;
    if (three < 0 || three > P.cases) throw new Error('pseudonyms must be between 2 and 3 times the number of cases');
    const sizes = rnd.shuffle(refs.map((_, i) => (i < three ? 3 : 2)));
    const pairs = [];
    refs.forEach((ref, i) => {
      const chosen = new Set();
      while (chosen.size < sizes[i]) chosen.add(ids[rnd.int(ids.length)]);
      for (const w of chosen) pairs.push([ref, w]);
    });
    const assigned = timeSync(() =>
      v.ctx.store.transaction(() => {
        for (const [ref, w] of pairs) v.cases.assign(ref, w);
      }),
    );
    setup.assignments = pairs.length;
    setup.assign_ms = round(assigned.ms);
    rnd.shuffle(pairs);
    setup.pairs = pairs;
    v.ctx.store.checkpoint();
  } finally {
    v.close();
  }
  const pairs = setup.pairs;
  delete setup.pairs;
  // Warm-up on a copy, thrown away: JIT and caches are warm before slice 1.
  const fileW = path.join(tmp.dir, 'warm-up.db');
  fs.copyFileSync(fileA, fileW);
  const vW = await openVault(fileW);
  try {
    vW.ctx.store.transaction(() => {
      for (const [ref, w] of pairs.slice(0, P.warmup_gets)) vW.pseudonyms.get(ref, w);
    });
  } finally {
    vW.close();
    fs.rmSync(fileW);
  }
  rows([
    ['workers', `${int(P.workers)} (one import: ${ms(setup.import_ms)}, ${int(rate(P.workers, setup.import_ms))} workers/s)`],
    ['cases', `${int(P.cases)} in ${TEAMS.length} teams (one transaction: ${ms(setup.cases_ms)}, ${int(rate(P.cases, setup.cases_ms))} cases/s)`],
    ['assignments', `${int(setup.assignments)} (one transaction: ${ms(setup.assign_ms)}, ${int(rate(setup.assignments, setup.assign_ms))}/s)`],
    [
      'worker surnames',
      `${surnames.distinct_real_surnames} distinct real surnames (from ${surnames.real_surname_list_size} common Dutch ones) among ${int(surnames.distinct_worker_surnames)} distinct surnames; ` +
        `they block ${surnames.pool_surnames_blocked} of ${int(surnames.pool_surnames)} pool surnames (${surnames.pool_weight_blocked_pct}% of the draw weight)`,
    ],
  ]);
  results.setup = { ...setup, surnames };

  // --- issuing ------------------------------------------------------------
  section(`issuing ${int(P.pseudonyms)} pseudonyms: rate per ${int(P.slice)}-slice as the vault fills`);
  const MODES = ['asIs', 'outerTx'];
  const chunks = { asIs: [], outerTx: [] }; // wall ms per chunk
  const cpu = { asIs: [], outerTx: [] }; // this process's user+system ms per chunk
  const drawLog = []; // per chunk, in order
  const namesA = new Array(pairs.length);
  const distinct = new Set();
  const formals = [];
  const vA = await openVault(fileA);
  // Count candidate draws by wrapping the two lookups every candidate goes through (on this instance only).
  const counter = { draws: 0, taken: 0, resembling: 0 };
  {
    const cs = vA.ctx.cases;
    const store = vA.ctx.store;
    const nameTaken = cs.nameTaken.bind(cs);
    const anyGuard = store.anyGuard.bind(store);
    cs.nameTaken = (index) => {
      counter.draws++;
      const r = nameTaken(index);
      if (r) counter.taken++;
      return r;
    };
    store.anyGuard = (digests) => {
      const r = anyGuard(digests);
      if (r) counter.resembling++;
      return r;
    };
  }
  let rowsIssued;
  const t0 = performance.now();
  try {
    const issue = (from, to) => {
      for (let i = from; i < to; i++) {
        const [ref, w] = pairs[i];
        const p = vA.pseudonyms.get(ref, w);
        if (!p.issued) throw new Error(`get ${ref} ${w} returned an existing pseudonym`);
        distinct.add(p.pseudonym);
        formals.push(p.formal);
        namesA[i] = p.pseudonym;
      }
    };
    for (let from = 0, k = 0; from < pairs.length; from += P.chunk, k++) {
      const to = Math.min(from + P.chunk, pairs.length);
      const mode = MODES[k % 2];
      const before = { ...counter };
      const c0 = process.cpuUsage();
      const t = timeSync(() => (mode === 'asIs' ? issue(from, to) : vA.ctx.store.transaction(() => issue(from, to)))).ms;
      const used = process.cpuUsage(c0);
      chunks[mode].push(t);
      cpu[mode].push((used.user + used.system) / 1000);
      drawLog.push({ draws: counter.draws - before.draws, taken: counter.taken - before.taken, resembling: counter.resembling - before.resembling });
    }
    rowsIssued = vA.ctx.cases.countPseudonyms();
  } finally {
    vA.close();
  }
  const issuingMs = performance.now() - t0;
  if (rowsIssued !== P.pseudonyms || distinct.size !== P.pseudonyms) throw new Error(`${rowsIssued} rows, ${distinct.size} distinct names`);
  // The resemblance rule held: no issued surname is like a worker's ("E. de Smet" -> "de Smet").
  const { surnameKeys } = await import('../dist/core/name-forms.js');
  const workerKeys = new Set(workers.flatMap((w) => surnameKeys(w.prefix, w.last_name)));
  const resembling = formals.filter((f) => surnameKeys('', f.slice(f.indexOf(' ') + 1)).some((k) => workerKeys.has(k))).length;

  // A slice's rate per mode comes from its median chunk, so a burst of
  // contention from other processes does not decide it; overall rates are
  // total / total time. CPU rates use this process's CPU time, which a busy
  // disk or a neighbour's load barely moves: they show whether the work per
  // pseudonym grows with the vault.
  const perSlice = P.slice / P.chunk / 2; // chunks of one mode in a slice
  const sliceRates = (list) => {
    const out = [];
    for (let s = 0; s < list.length; s += perSlice) out.push(rate(P.chunk, median(list.slice(s, s + perSlice))));
    return out;
  };
  const drawStats = [];
  for (let s = 0; s < drawLog.length; s += 2 * perSlice) {
    const d = drawLog.slice(s, s + 2 * perSlice).reduce((a, b) => ({ draws: a.draws + b.draws, taken: a.taken + b.taken, resembling: a.resembling + b.resembling }));
    drawStats.push({ per_pseudonym: round(d.draws / P.slice, 3), taken_pct: round((100 * d.taken) / d.draws, 2), resembling_pct: round((100 * d.resembling) / d.draws, 2) });
  }
  const total = (list) => list.reduce((a, b) => a + b, 0);
  const count = (mode) => chunks[mode].length * P.chunk;
  const wall = { asIs: sliceRates(chunks.asIs), outerTx: sliceRates(chunks.outerTx) };
  const cpuRates = { asIs: sliceRates(cpu.asIs), outerTx: sliceRates(cpu.outerTx) };
  const overall = { asIs: rate(count('asIs'), total(chunks.asIs)), outerTx: rate(count('outerTx'), total(chunks.outerTx)) };
  const overallCpu = { asIs: rate(count('asIs'), total(cpu.asIs)), outerTx: rate(count('outerTx'), total(cpu.outerTx)) };
  const lastFirst = (list) => ratio(list.at(-1), list[0]);
  const col = (v, w) => String(v).padStart(w);
  const line = (a, b, c, d) => `${col(a, 9)} ${col(b, 7)}   ${col(c, 11)} ${col(d, 7)}`;
  const table = [['slice', `${line('as is /s', '(CPU)', 'outer tx /s', '(CPU)')}   draws per pseudonym (rejected: name taken, resembles a worker)`]];
  wall.asIs.forEach((r, i) => {
    const d = drawStats[i];
    table.push([
      `${int(i * P.slice + 1)}–${int((i + 1) * P.slice)}`,
      `${line(int(r), int(cpuRates.asIs[i]), int(wall.outerTx[i]), int(cpuRates.outerTx[i]))}   ${d.per_pseudonym} (${d.taken_pct}%, ${d.resembling_pct}%)`,
    ]);
  });
  table.push(['overall', `${line(int(overall.asIs), int(overallCpu.asIs), int(overall.outerTx), int(overallCpu.outerTx))}   (total / total time)`]);
  table.push(['last / first slice', line(lastFirst(wall.asIs), lastFirst(cpuRates.asIs), lastFirst(wall.outerTx), lastFirst(cpuRates.outerTx))]);
  console.log(`  per mode, ${int(P.slice / 2)} of each slice's ${int(P.slice)} gets; rates per second from the median chunk; (CPU) = by this process's CPU time instead of wall-clock time`);
  rows(table);
  const perGet = { asIs: total(chunks.asIs) / count('asIs'), outerTx: total(chunks.outerTx) / count('outerTx') };
  const growth = lastFirst(cpuRates.outerTx);
  const wallOk = [lastFirst(wall.asIs), lastFirst(wall.outerTx)].every((r) => r >= 0.8);
  rows([
    ['all modes together', `${int(rate(P.pseudonyms, issuingMs))} pseudonyms/s (${int(P.pseudonyms)} in ${ms(issuingMs)})`],
    ['per get, as is', `mean ${ms(perGet.asIs)}; per chunk of ${P.chunk}: ${spread(summary(chunks.asIs.map((t) => t / P.chunk)))}`],
    ['per get, outer tx', `mean ${ms(perGet.outerTx)}; per chunk of ${P.chunk}: ${spread(summary(chunks.outerTx.map((t) => t / P.chunk)))}`],
    [
      'outer tx / as is',
      `${ratio(overall.outerTx, overall.asIs)}× overall; a get's own transaction (commit + fsync, synchronous=FULL) costs ${ms(perGet.asIs - perGet.outerTx)} ` +
        `(${round((100 * (perGet.asIs - perGet.outerTx)) / perGet.asIs, 1)}% of an as-is get)`,
    ],
    ['checks', `${int(rowsIssued)} rows, ${int(distinct.size)} distinct names; issued pseudonyms resembling a worker's surname: ${resembling}`],
    [
      'verdict',
      (growth >= 0.8
        ? `CPU work per pseudonym does not grow much as the vault fills (outer tx CPU rate last/first ${growth} ≥ 0.8)`
        : `CPU work per pseudonym GROWS as the vault fills (outer tx CPU rate last/first ${growth} < 0.8)`) +
        (wallOk ? '; wall-clock rates hold too (last/first ≥ 0.8)' : '; a wall-clock last/first is < 0.8: compare its CPU column and the load average (this machine is shared)'),
    ],
  ]);
  const mode = (key) => ({
    gets: count(key),
    per_s_overall: overall[key],
    per_s_overall_cpu: overallCpu[key],
    per_s_slices: wall[key],
    per_s_slices_cpu: cpuRates[key],
    last_over_first: lastFirst(wall[key]),
    last_over_first_cpu: lastFirst(cpuRates[key]),
    mean_ms_per_get: round(perGet[key], 4),
    chunk_ms: chunks[key].map((t) => round(t)),
    chunk_cpu_ms: cpu[key].map((t) => round(t)),
  });
  results.issuing = {
    chunk: P.chunk,
    slice: P.slice,
    per_s_all: rate(P.pseudonyms, issuingMs),
    issuing_ms: round(issuingMs),
    as_is: mode('asIs'),
    outer_tx: mode('outerTx'),
    outer_tx_over_as_is: ratio(overall.outerTx, overall.asIs),
    draws_per_slice: drawStats,
    resembling_worker_surname: resembling,
    load_average_after: os.loadavg().map((x) => round(x, 2)),
  };

  // --- pseudonym get through the CLI -------------------------------------
  section(`pseudonym get through the CLI on the warm ${int(P.pseudonyms)}-pseudonym vault vs process start (${P.cli_runs} runs each, interleaved)`);
  const sb = sandbox('pseudonyms-cli');
  sb.env.SCHUILNAAM_VAULT = fileA;
  sb.unlock();
  const start = startRunners(sb);
  const pick = () => {
    const i = rnd.int(pairs.length);
    return { ref: pairs[i][0], worker: pairs[i][1], name: namesA[i] };
  };
  const cliGet = () => {
    const p = pick();
    const r = sb.run(['pseudonym', 'get', '--case', p.ref, '--worker', p.worker, '--json']);
    const out = JSON.parse(r.stdout);
    if (out.pseudonym !== p.name || out.issued !== false) throw new Error(`pseudonym get ${p.ref} ${p.worker}: got ${r.stdout}`);
    return r.ms;
  };
  const t = await interleaved({ get: cliGet, version: start.version, node: start.node }, P.cli_runs);
  const g = summary(t.get);
  const ver = summary(t.version);
  const nod = summary(t.node);
  rows([
    ['pseudonym get (session)', spread(g)],
    ['schuilnaam --version', spread(ver)],
    ['node -e ""', spread(nod)],
    ['get / --version', `${ratio(g.median, ver.median)}×`],
    ['get − --version', `${ms(g.median - ver.median)} (opening the vault, session, lookup, output)`],
  ]);
  results.cli = { get_ms: g, version_ms: ver, node_ms: nod, get_over_version: ratio(g.median, ver.median), get_minus_version_ms: round(g.median - ver.median) };

  results.finished_at = new Date().toISOString();
  writeResults('pseudonyms', results);
  return results;
}
