// bench scan: the leak scanner end to end (process start, vault, reading,
// normalising, matching) on a generated 50 MB Dutch-like corpus against a
// vault of 5,000 workers, with peak memory; and, where ripgrep is installed,
// `rg -F -i -f names` and `tr A-Z a-z | rg -F -f names.lower` on the same
// names and corpus in the same run, as ratios.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateWorkers, header, importRows, int, median, openVault, prng, ratio, round, rows, sandbox, section, writeResults } from './lib.js';

const WORDS = (
  'de het een en van in op te dat die is voor met niet aan er om ook als bij of uit maar nog wel naar dan zijn hebben worden kunnen ' +
  'zoals over door tot na wij u uw ouders kind kinderen gezin brief gesprek afspraak jeugdbescherming rapportage besluit maatregel ' +
  'ondertoezichtstelling zorg school hulp veiligheid plan week maand datum locatie politiebureau teamkantoor contact telefoon ' +
  'bakker visser boer berg smit molen kerk markt straat huis tuin fiets auto trein werk vakantie weekend morgen middag avond ' +
  'graag vriendelijke groet hierbij uitnodigen bespreken voortgang zorgen afspraken nakomen verslag bijlage vragen antwoord'
).split(' ');

function corpus(bytes, workers, seed) {
  const rnd = prng(seed);
  const parts = [];
  let size = 0;
  while (size < bytes) {
    let sentence = '';
    const n = 6 + Math.floor(rnd.next() * 14);
    for (let i = 0; i < n; i++) sentence += (i ? ' ' : '') + rnd.pick(WORDS);
    if (rnd.next() < 0.02) {
      const w = rnd.pick(workers);
      sentence += ` ${w.first_name} ${w.prefix ? w.prefix + ' ' : ''}${w.last_name}`;
    }
    sentence = sentence[0].toUpperCase() + sentence.slice(1) + (rnd.next() < 0.15 ? '.\n' : '. ');
    parts.push(sentence);
    size += Buffer.byteLength(sentence);
  }
  return parts.join('');
}

/** Wall time and peak RSS of a command, via GNU time. */
function measured(cmd, args, opts) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { ...opts, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const last = r.stderr.trim().split('\n').at(-1).split(' ');
  return { status: r.status, stdout: r.stdout, seconds: Number(last[0]), peakMiB: Number(last[1]) / 1024 };
}

function hasRg() {
  return spawnSync('rg', ['--version'], { encoding: 'utf8' }).status === 0;
}

export async function run({ quick = false } = {}) {
  const scale = quick ? 10 : 1;
  const P = { workers: 5000 / scale, corpus_mb: 50 / scale, big_mb: 200 / scale, runs: 3 };
  header('scan', P, [
    'end to end: `schuilnaam scan corpus.txt --json` in its own process with a session (no key derivation), median of the runs',
    'the corpus is generated Dutch-like text with about 2% of sentences carrying a worker\'s full name',
    'ripgrep figures use the same corpus and the workers\' full names (rg knows the names in plaintext; the scanner only keyed hashes)',
  ]);
  const sb = sandbox('scan');
  sb.init();
  sb.unlock();
  const workers = generateWorkers(P.workers, { seed: 11 });
  const seal = {};
  {
    const v = await openVault(sb.vault);
    try {
      v.workers.import(importRows(workers));
      // The integrity seal: what scan, render and redact recompute before they load the index.
      const { GATE_TABLES } = await import('../dist/vault/integrity.js');
      const { PROTECTED_TABLES } = await import('../dist/store/store.js');
      const times = (tables) =>
        Array.from({ length: 7 }, () => {
          const t0 = performance.now();
          const problems = v.ctx.store.integrityProblems(tables);
          if (problems.length > 0) throw new Error(`bench vault not intact: ${problems[0].problem}`);
          return performance.now() - t0;
        });
      const rowsOf = (t) => v.ctx.store.tableDigest(t).rows;
      seal.gate_rows = GATE_TABLES.reduce((n, t) => n + rowsOf(t), 0);
      seal.all_rows = PROTECTED_TABLES.reduce((n, t) => n + rowsOf(t), 0);
      seal.gate_ms = round(median(times(GATE_TABLES)), 1);
      seal.all_ms = round(median(times(PROTECTED_TABLES)), 1);
    } finally {
      v.close();
    }
  }
  const letter = path.join(sb.dir, 'letter.txt');
  fs.writeFileSync(letter, corpus(3000, workers, 7));
  const file = path.join(sb.dir, 'corpus.txt');
  const text = corpus(P.corpus_mb * 1024 * 1024, workers, 5);
  fs.writeFileSync(file, text);
  const mb = Buffer.byteLength(text) / 1024 / 1024;
  const big = path.join(sb.dir, 'big.txt');
  for (let i = 0; i < P.big_mb / P.corpus_mb; i++) fs.appendFileSync(big, text);
  const bigMb = fs.statSync(big).size / 1024 / 1024;
  const names = workers.map((w) => `${w.first_name} ${w.prefix ? w.prefix + ' ' : ''}${w.last_name}`);
  fs.writeFileSync(path.join(sb.dir, 'names'), names.join('\n') + '\n');
  fs.writeFileSync(path.join(sb.dir, 'names.lower'), names.map((n) => n.toLowerCase()).join('\n') + '\n');

  const env = { ...sb.env };
  section(`integrity seal: recomputing the tables, ${int(P.workers)} workers (in-process, median of 7)`);
  const letterRuns = Array.from({ length: 5 }, () => measured(process.execPath, [sbBin(), 'scan', letter, '--json'], { env, cwd: sb.dir }).seconds);
  seal.letter_scan_ms = round(median(letterRuns) * 1000, 0);
  rows([
    ['gate tables (scan_index, guards, pseudonyms)', `${int(seal.gate_rows)} rows: median ${seal.gate_ms} ms`],
    ['every protected table (verify)', `${int(seal.all_rows)} rows: median ${seal.all_ms} ms`],
    ['scan of a one-page letter, end to end', `median ${seal.letter_scan_ms} ms; the seal check is ${ratio(seal.gate_ms, seal.letter_scan_ms)}x of it`],
  ]);

  section(`scanning ${round(mb, 1)} MB against ${int(P.workers)} workers`);
  const scanRuns = [];
  let findings = 0;
  for (let i = 0; i < P.runs; i++) {
    const r = measured(process.execPath, [sbBin(), 'scan', file, '--json'], { env, cwd: sb.dir });
    if (r.status !== 0 && r.status !== 1) throw new Error(`scan exited with ${r.status}`);
    findings = JSON.parse(r.stdout).files[0].findings.length;
    scanRuns.push(r);
  }
  const scanS = median(scanRuns.map((r) => r.seconds));
  const scanPeak = Math.max(...scanRuns.map((r) => r.peakMiB));
  const bigRun = measured(process.execPath, [sbBin(), 'scan', big, '--json'], { env, cwd: sb.dir });
  const out = {
    params: P,
    seal,
    corpus_mb: round(mb, 2),
    findings,
    scan: { median_s: scanS, mb_per_s: round(mb / scanS, 1), peak_mib: round(scanPeak, 1) },
    scan_big: { mb: round(bigMb, 1), s: bigRun.seconds, mb_per_s: round(bigMb / bigRun.seconds, 1), peak_mib: round(bigRun.peakMiB, 1) },
  };
  const lines = [
    ['schuilnaam scan', `median ${scanS.toFixed(2)} s -> ${out.scan.mb_per_s} MB/s, peak ${out.scan.peak_mib} MiB, ${int(findings)} findings`],
    [`  on ${round(bigMb, 0)} MB`, `${bigRun.seconds.toFixed(2)} s -> ${out.scan_big.mb_per_s} MB/s, peak ${out.scan_big.peak_mib} MiB (${ratio(out.scan_big.peak_mib, out.scan.peak_mib)}x the peak on ${round(mb, 0)} MB; aim: under 200 MiB at any size)`],
  ];
  if (hasRg()) {
    const rgI = median(Array.from({ length: P.runs }, () => measured('rg', ['-F', '-i', '-c', '-f', 'names', file], { cwd: sb.dir }).seconds));
    const rgLower = median(
      Array.from({ length: P.runs }, () => measured('sh', ['-c', `tr A-Z a-z < ${file} | rg -F -c -f names.lower`], { cwd: sb.dir }).seconds),
    );
    out.rg_i = { median_s: rgI, mb_per_s: round(mb / rgI, 1) };
    out.rg_lower = { median_s: rgLower, mb_per_s: round(mb / rgLower, 1) };
    out.ratios = { scan_vs_rg_i: ratio(rgI, scanS), scan_vs_rg_lower: ratio(rgLower, scanS) };
    lines.push(
      ['rg -F -i -f names', `median ${rgI.toFixed(2)} s -> ${out.rg_i.mb_per_s} MB/s`],
      ['tr A-Z a-z | rg -F -f names.lower', `median ${rgLower.toFixed(2)} s -> ${out.rg_lower.mb_per_s} MB/s`],
      ['scan speed / rg -i', `${out.ratios.scan_vs_rg_i}x (aim: at least 10x)`],
      ['scan speed / lower-cased rg', `${out.ratios.scan_vs_rg_lower}x (aim: at least 0.25x)`],
    );
  } else {
    lines.push(['ripgrep', 'not installed: `apt-get install ripgrep` to compare']);
  }
  rows(lines);
  writeResults('scan', out);
  sb.remove();

  function sbBin() {
    return path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'bin', 'schuilnaam.js');
  }
}
