// bench render: `schuilnaam render … --batch` end to end with the leak gate
// on: 1,000 Markdown letters (built-in `uitnodiging`) to .md and to .pdf,
// and 200 letters from a Word (.docx) template, in a vault of 5,000 workers
// (a realistic leak index). Per batch: documents per second by the wall time
// of the process, and the render vs leak-gate split from the batch's own
// `--json` timings, measured in the same runs. Aim: the gate costs less than
// the rendering (gate/render < 1).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BIN,
  generateWorkers,
  header,
  importRows,
  int,
  interleaved,
  median,
  ms,
  openVault,
  prng,
  ratio,
  round,
  rows,
  sandbox,
  section,
  timeSync,
  writeResults,
} from './lib.js';

const TEAM = 'Team Noord';
const TEAM_CONTACT = { phone: '020 555 0100', email: 'team-noord@jeugdzorg.example', address: 'Postbus 1234\\n1000 AB Amsterdam' };

const ONDERWERPEN = ['de voortgang van de afspraken', 'het plan van aanpak', 'de situatie thuis', 'de schoolgang van uw kind'];
const DATA = ['dinsdag 1 december 2026', 'woensdag 2 december 2026', 'donderdag 3 december 2026', 'maandag 7 december 2026'];
const TIJDEN = ['9.30 uur', '11.00 uur', '14.00 uur', '15.30 uur'];
const LOCATIES = ['Politiebureau Centrum, Stationsplein 1', 'Teamkantoor, Hoofdstraat 12', 'Gemeentehuis, Raadhuisplein 3'];

function csvField(v) {
  return /[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csv(columns, records) {
  return [columns.join(','), ...records.map((r) => columns.map((c) => csvField(r[c] ?? '')).join(','))].join('\n') + '\n';
}

/** A one-page Word letter in a house style: header, footer, a few paragraphs and the placeholders. */
async function docxTemplate() {
  const docx = await import('docx');
  const p = (text, opts = {}) => new docx.Paragraph({ children: [new docx.TextRun({ text, font: 'Calibri', size: 22, ...opts })], spacing: { after: 120 } });
  const doc = new docx.Document({
    creator: 'Jeugdbescherming',
    title: 'Brief aan ouders',
    sections: [
      {
        headers: { default: new docx.Header({ children: [p('{{team.name}}', { bold: true }), p('Kenmerk: {{case.reference}}', { size: 18 })] }) },
        footers: { default: new docx.Footer({ children: [p('Jeugdbescherming, {{team.name}}', { size: 16, color: '666666' })] }) },
        children: [
          p('{{today}}'),
          p('Onderwerp: uw afspraak op {{datum}}', { bold: true }),
          p('Geachte ouder(s)/verzorger(s),'),
          new docx.Paragraph({
            children: [
              new docx.TextRun({ text: 'Op ', font: 'Calibri', size: 22 }),
              new docx.TextRun({ text: '{{datum}}', font: 'Calibri', size: 22, bold: true }),
              new docx.TextRun({ text: ' spreken wij u graag over hoe het nu gaat met uw kind en met de afspraken uit het plan van aanpak.', font: 'Calibri', size: 22 }),
            ],
          }),
          p(
            'In het gesprek kijken we samen met u wat er goed gaat en wat er nodig is. U kunt uw vragen stellen en vertellen hoe u erover denkt. ' +
              'Wilt u iemand meenemen die u vertrouwt? Dat mag. Laat het ons dan wel vooraf weten.',
          ),
          p('Kunt u niet op deze dag? Of heeft u vragen over deze brief? Neem dan zo snel mogelijk contact met ons op. Noem dan het kenmerk van deze brief.'),
          p('Met vriendelijke groet,'),
          p('{{worker.name}}'),
          p('{{team.name}}'),
        ],
      },
    ],
  });
  return new Uint8Array(await docx.Packer.toBuffer(doc));
}

/** Runs the CLI under GNU time (when there is one) for the peak RSS; the wall time is ours, start to exit. */
function runMeasured(sb, args) {
  const useTime = fs.existsSync('/usr/bin/time');
  const cmd = useTime ? '/usr/bin/time' : process.execPath;
  const argv = useTime ? ['-f', '%M', process.execPath, BIN, ...args] : [BIN, ...args];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { env: sb.env, cwd: sb.dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`schuilnaam ${args.join(' ')} exited with ${r.status ?? r.signal}:\n${r.stderr}`);
  const peakKiB = useTime ? Number(r.stderr.trim().split('\n').at(-1)) : NaN;
  return { ms: elapsed, stdout: r.stdout, peakMiB: peakKiB / 1024 };
}

export async function run({ quick = false } = {}) {
  const scale = quick ? 10 : 1;
  const P = {
    workers: 5000 / scale,
    cases: 1000 / scale,
    md_letters: 1000 / scale,
    docx_letters: 200 / scale,
    small_pdf_batch: 100 / scale,
    runs: quick ? 1 : 3,
    warmup_rounds: 1,
    seed: 23,
  };
  const notes = [
    `one vault: ${int(P.workers)} workers (in-process import), "${TEAM}" with functional phone, mailbox and address (\`team set\` via the CLI), ` +
      `${int(P.cases)} cases of ${TEAM} with one worker each (in-process, one transaction)`,
    'each batch is one `schuilnaam render … --batch FILE.csv --out-dir FRESH-DIR --json` process with a session (no key derivation); ' +
      'wall = spawn to exit; docs/s = documents / median wall',
    'render and gate are the batch\'s own --json timings (render_s: filling in + writing the format in memory; gate_s: the leak gate on the bytes), ' +
      'summed over the documents of a run; the rest of the in-process total is writing the files and registering the documents',
    `a ${int(P.small_pdf_batch)}-letter .pdf batch runs alongside, to compare the cost per document at two batch sizes`,
    `the batches run interleaved (A B C D, B C D A, …) after ${P.warmup_rounds} untimed warm-up round; the first warm-up batch issues the pseudonyms ` +
      '(its time is shown separately); timed runs reuse them',
    ...(quick ? ['--quick: sizes shrunk tenfold; do not compare these figures'] : []),
  ];
  const m = header('render', P, notes);
  const results = { benchmark: 'render', started_at: new Date().toISOString(), machine: m, params: P, notes };
  const rnd = prng(P.seed);

  // --- setup --------------------------------------------------------------
  section('setup');
  const sb = sandbox('render');
  sb.init();
  sb.unlock();
  const workers = generateWorkers(P.workers, { seed: P.seed });
  const refs = Array.from({ length: P.cases }, (_, i) => `JB-2026-${String(i + 1).padStart(5, '0')}`);
  const setup = {};
  let assigned;
  const workerOf = new Map();
  {
    const v = await openVault(sb.vault);
    try {
      const imp = timeSync(() => v.workers.import(importRows(workers)));
      setup.import_ms = round(imp.ms);
      const ids = imp.value;
      ids.forEach((id, i) => workerOf.set(id, workers[i]));
      const chosen = rnd.shuffle([...ids]).slice(0, P.cases);
      assigned = refs.map((ref, i) => [ref, chosen[i % chosen.length]]);
      const added = timeSync(() =>
        v.ctx.store.transaction(() => {
          for (const [ref, w] of assigned) {
            v.cases.add(ref, TEAM, 'normal');
            v.cases.assign(ref, w);
          }
        }),
      );
      setup.cases_ms = round(added.ms);
      v.ctx.store.checkpoint();
    } finally {
      v.close();
    }
  }
  setup.team_set_ms = round(
    sb.run(['team', 'set', TEAM, '--phone', TEAM_CONTACT.phone, '--email', TEAM_CONTACT.email, '--address', TEAM_CONTACT.address]).ms,
  );

  const mdCsv = path.join(sb.dir, 'uitnodigingen.csv');
  fs.writeFileSync(
    mdCsv,
    csv(
      ['case', 'worker', 'onderwerp', 'datum', 'tijd', 'locatie'],
      assigned.slice(0, P.md_letters).map(([ref, w], i) => ({
        case: ref,
        worker: w,
        onderwerp: ONDERWERPEN[i % ONDERWERPEN.length],
        datum: DATA[i % DATA.length],
        tijd: TIJDEN[i % TIJDEN.length],
        locatie: LOCATIES[i % LOCATIES.length],
      })),
    ),
  );
  const mdSmallCsv = path.join(sb.dir, 'uitnodigingen-klein.csv');
  fs.writeFileSync(mdSmallCsv, fs.readFileSync(mdCsv, 'utf8').split('\n').slice(0, P.small_pdf_batch + 1).join('\n') + '\n');
  const docxCsv = path.join(sb.dir, 'brieven.csv');
  fs.writeFileSync(docxCsv, csv(['case', 'worker', 'datum'], assigned.slice(0, P.docx_letters).map(([ref, w], i) => ({ case: ref, worker: w, datum: DATA[i % DATA.length] }))));
  const template = path.join(sb.dir, 'huisstijl-brief.docx');
  const templateBytes = await docxTemplate();
  fs.writeFileSync(template, templateBytes);
  rows([
    ['workers', `${int(P.workers)} (one import: ${ms(setup.import_ms)})`],
    ['cases', `${int(P.cases)} of ${TEAM}, one worker each (add + assign in one transaction: ${ms(setup.cases_ms)})`],
    ['team set (CLI)', `${ms(setup.team_set_ms)}`],
    ['.docx template', `${round(templateBytes.length / 1024, 1)} KiB, placeholders {{worker.name}} {{team.name}} {{case.reference}} {{today}} {{datum}}`],
  ]);
  results.setup = { ...setup, docx_template_bytes: templateBytes.length };

  // --- the batches --------------------------------------------------------
  const BATCHES = {
    md_md: { label: `${int(P.md_letters)} md letters -> .md`, n: P.md_letters, args: ['render', 'uitnodiging', '--batch', mdCsv, '--format', 'md'], ext: '.md' },
    md_pdf: { label: `${int(P.md_letters)} md letters -> .pdf`, n: P.md_letters, args: ['render', 'uitnodiging', '--batch', mdCsv, '--format', 'pdf'], ext: '.pdf' },
    md_pdf_small: { label: `${int(P.small_pdf_batch)} md letters -> .pdf`, n: P.small_pdf_batch, args: ['render', 'uitnodiging', '--batch', mdSmallCsv, '--format', 'pdf'], ext: '.pdf' },
    docx: { label: `${int(P.docx_letters)} docx letters -> .docx`, n: P.docx_letters, args: ['render', template, '--batch', docxCsv], ext: '.docx' },
  };
  const runsOf = Object.fromEntries(Object.keys(BATCHES).map((k) => [k, []]));
  const warmups = [];
  const sample = {};
  let dirNo = 0;
  const runner = (key) => (r) => {
    const b = BATCHES[key];
    const outDir = path.join(sb.dir, `out-${key}-${dirNo++}`);
    fs.mkdirSync(outDir);
    const res = runMeasured(sb, [...b.args, '--out-dir', outDir, '--json']);
    const out = JSON.parse(res.stdout);
    const files = fs.readdirSync(outDir).filter((f) => f.endsWith(b.ext));
    if (out.count !== b.n || files.length !== b.n) throw new Error(`${key}: count ${out.count}, ${files.length} files, expected ${b.n}`);
    if (!sample[key]) {
      const first = out.documents[0];
      sample[key] = { bytes: fs.statSync(first.path).size, pseudonym: first.pseudonyms[0] };
      // The letter carries the pseudonym, never the worker's real surname.
      if (b.ext === '.md') {
        const text = fs.readFileSync(first.path, 'utf8');
        const real = workerOf.get(first.worker);
        const realName = `${real.first_name} ${real.prefix ? real.prefix + ' ' : ''}${real.last_name}`;
        if (!text.includes(first.pseudonyms[0]) || text.includes(realName)) throw new Error(`${key}: ${first.path} lacks the pseudonym or carries the real name`);
      }
    }
    fs.rmSync(outDir, { recursive: true, force: true });
    const t = out.timings;
    const rec = { wall_ms: round(res.ms), total_s: t.total_s, render_s: t.render_s, gate_s: t.gate_s, per_second_in_process: t.per_second, peak_mib: round(res.peakMiB, 1) };
    if (r < 0) warmups.push({ batch: key, ...rec });
    else runsOf[key].push(rec);
    return res.ms;
  };
  section(`batches: ${P.runs} timed run${P.runs === 1 ? '' : 's'} each, interleaved, after ${P.warmup_rounds} warm-up round`);
  await interleaved(Object.fromEntries(Object.keys(BATCHES).map((k) => [k, runner(k)])), P.runs, { warmup: P.warmup_rounds });

  const lines = [];
  const out = {};
  for (const [key, b] of Object.entries(BATCHES)) {
    const rs = runsOf[key];
    const wall = median(rs.map((x) => x.wall_ms));
    const render = median(rs.map((x) => x.render_s));
    const gate = median(rs.map((x) => x.gate_s));
    const total = median(rs.map((x) => x.total_s));
    const rest = median(rs.map((x) => x.total_s - x.render_s - x.gate_s));
    const outside = median(rs.map((x) => x.wall_ms / 1000 - x.total_s));
    const peak = Math.max(...rs.map((x) => x.peak_mib));
    const gr = ratio(gate, render);
    const docsPerS = round((b.n * 1000) / wall, 1);
    out[key] = {
      documents: b.n,
      wall_median_s: round(wall / 1000),
      docs_per_s: docsPerS,
      render_median_s: render,
      gate_median_s: gate,
      gate_over_render: gr,
      render_ms_per_doc: round((render * 1000) / b.n, 2),
      gate_ms_per_doc: round((gate * 1000) / b.n, 2),
      in_process_total_median_s: total,
      write_and_register_median_s: round(rest),
      outside_batch_median_s: round(outside),
      peak_mib: peak,
      sample_document_bytes: sample[key]?.bytes,
      runs: rs,
    };
    lines.push(
      [
        `batch ${b.label}`,
        `median ${ms(wall)} -> ${docsPerS} docs/s; render ${render.toFixed(2)} s, gate ${gate.toFixed(2)} s ` +
          `(gate/render ${gr.toFixed(2)}; aim: < 1)${gr < 1 ? '' : '  ** gate costs more than rendering **'}`,
      ],
      [
        '',
        `per doc: render ${ms((render * 1000) / b.n)}, gate ${ms((gate * 1000) / b.n)}; writing + registering ${rest.toFixed(2)} s; ` +
          `outside the batch loop (start, unlock, CSV, exit) ${outside.toFixed(2)} s; peak ${round(peak, 0)} MiB; ${round((sample[key]?.bytes ?? 0) / 1024, 1)} KiB/doc`,
      ],
    );
  }
  {
    const big = out.md_pdf;
    const small = out.md_pdf_small;
    results.pdf_batch_size = {
      gate_ms_per_doc: { [small.documents]: small.gate_ms_per_doc, [big.documents]: big.gate_ms_per_doc },
      render_ms_per_doc: { [small.documents]: small.render_ms_per_doc, [big.documents]: big.render_ms_per_doc },
      gate_growth: ratio(big.gate_ms_per_doc, small.gate_ms_per_doc),
    };
    lines.push([
      '.pdf per doc by batch size',
      `gate ${ms(small.gate_ms_per_doc)} at ${int(small.documents)} docs vs ${ms(big.gate_ms_per_doc)} at ${int(big.documents)} (${results.pdf_batch_size.gate_growth}x); ` +
        `render ${ms(small.render_ms_per_doc)} vs ${ms(big.render_ms_per_doc)}`,
    ]);
  }
  const first = warmups.find((w) => w.batch === 'md_md');
  if (first) {
    const timed = out.md_md;
    lines.push([
      `first batch (issues ${int(P.md_letters)} pseudonyms)`,
      `${ms(first.wall_ms)} wall (md -> .md; render ${first.render_s.toFixed(2)} s incl. issuing, gate ${first.gate_s.toFixed(2)} s) vs median ${ms(timed.wall_median_s * 1000)} once issued`,
    ]);
  }
  rows(lines);
  results.batches = out;
  results.warmup = warmups;
  results.load_average_after = os.loadavg().map((x) => round(x, 2));
  results.finished_at = new Date().toISOString();
  writeResults('render', results);
  sb.remove();
  return results;
}
