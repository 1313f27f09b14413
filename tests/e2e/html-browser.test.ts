// HTML letters as a family's browser shows them. The built CLI renders
// letters (and scans hostile pages); Debian's chromium, driven by
// playwright-core, opens each file; the text the browser shows (body text,
// the title, CSS-generated text, the text of every frame) is scanned again.
// Every worker the browser shows must have been seen by the leak gate / scan,
// and nothing a hostile template carries may run. Also the CLI side of the
// allow-list: refusals (exit 2), removals (a warning on stderr), the CSP.
//
// One vault and one browser for the file. Without chromium the tests fail:
// a browser test that skips proves nothing. Names are invented.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk } from '../helpers/expect.js';

const CHROMIUM = '/usr/bin/chromium';
const TEAM = { name: 'Team Zuidoost', phone: '040-2718281', email: 'team-zuidoost@jz-test.example', address: 'Postbus 77\\n5600 AB Eindhoven' };
const SIGNER = { first: 'Marieke', last: 'Dijkstra' };
const COLLEAGUE = { first: 'Hendrik', prefix: 'ter', last: 'Horst', full: 'Hendrik ter Horst' };
const CASE = 'JB-2026-0707';

let sb: Sandbox;
let env: Record<string, string>;
let browser: Browser;
const W = { signer: '', colleague: '' };
const run = (args: string[]) => sb.run(args, { env });
const at = (...p: string[]) => path.join(sb.dir, ...p);

function write(name: string, content: string): string {
  fs.mkdirSync(path.dirname(at(name)), { recursive: true });
  fs.writeFileSync(at(name), content);
  return name;
}

interface ScanJson {
  clean: boolean;
  files: { file: string; findings: { kind: string; confidence: string; text: string; location: string; worker: string | null }[] }[];
}

async function highWorkers(file: string): Promise<Set<string>> {
  const r = await run(['scan', file, '--json']);
  expect([0, 1], r.stderr).toContain(r.exitCode);
  const found = json<ScanJson>(r).files.flatMap((f) => f.findings).filter((f) => f.confidence === 'high');
  return new Set(found.map((f) => f.worker ?? f.text));
}

interface Shown {
  text: string;
  scripts: number;
  marker: string | null;
}

/**
 * What a reader sees in the browser: the title, the body text of the page and
 * of every frame, and the text CSS generates before and after elements. The
 * page is given time for anything scheduled to run (a script, an image's
 * onerror) before it is read: a marker that such code would set is read too.
 */
async function show(file: string): Promise<Shown> {
  const page = await browser.newPage();
  try {
    await page.goto(`file://${at(file)}`, { waitUntil: 'load' });
    // Let timers and error handlers queued during load run.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    const parts: string[] = [];
    for (const frame of page.frames()) {
      parts.push(
        await frame.evaluate(() => {
          const generated: string[] = [];
          for (const el of Array.from(document.querySelectorAll('*'))) {
            for (const pseudo of ['::before', '::after']) {
              const c = getComputedStyle(el, pseudo).content;
              if (c && c !== 'none' && c !== 'normal') generated.push(c.replace(/^"|"$/gu, ''));
            }
          }
          // Ruby annotations stand above the base text: read without them, the base text is one word again.
          let base = '';
          if (document.body) {
            const copy = document.body.cloneNode(true) as HTMLElement;
            for (const a of Array.from(copy.querySelectorAll('rt, rp, script, style, template, noscript'))) a.remove();
            base = copy.textContent ?? '';
          }
          return [document.title, document.body ? document.body.innerText : '', base, ...generated].join('\n');
        }),
      );
    }
    const scripts = await page.evaluate(() => document.scripts.length + document.querySelectorAll('[onerror],[onload],[onclick],iframe,object,embed').length);
    const marker = await page.evaluate(() => (window as unknown as { __ran?: string }).__ran ?? document.documentElement.getAttribute('data-ran'));
    return { text: parts.join('\n'), scripts, marker };
  } finally {
    await page.close();
  }
}

/** Workers with a high-confidence finding in what the browser showed. */
async function shownWorkers(file: string, shown: Shown): Promise<Set<string>> {
  const txt = write(`shown/${path.basename(file)}.txt`, shown.text);
  return highWorkers(txt);
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`chromium is not installed at ${CHROMIUM}: the HTML browser tests need it (apt-get install -y chromium)`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  sb = makeSandbox();
  await sb.init();
  env = { SCHUILNAAM_SESSION: expectOk(await sb.runP(['unlock'])).stdout.trim() };
  expectOk(await run(['team', 'set', TEAM.name, '--phone', TEAM.phone, '--email', TEAM.email, '--address', TEAM.address]));
  W.signer = expectOk(await run(['worker', 'add', '--first-name', SIGNER.first, '--last-name', SIGNER.last, '--team', TEAM.name])).stdout.trim();
  W.colleague = expectOk(await run(['worker', 'add', '--first-name', COLLEAGUE.first, '--prefix', COLLEAGUE.prefix, '--last-name', COLLEAGUE.last, '--team', TEAM.name])).stdout.trim();
  expectOk(await run(['case', 'add', CASE, '--team', TEAM.name]));
  expectOk(await run(['case', 'assign', CASE, W.signer]));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  sb?.cleanup();
});

const render = (tpl: string, out: string, extra: string[] = []) => run(['render', tpl, '--case', CASE, '--worker', W.signer, '--out', out, ...extra]);

describe('render to .html: active content refuses the template', () => {
  it('a script and an event handler: exit 2 naming both with their lines; no file', async () => {
    const tpl = write(
      'tpl/actief.html',
      ['<!doctype html>', '<html><head><title>Brief</title></head>', '<body>', '<p>Beste ouders,</p>', '<script>document.body.append("x")</script>', '<p>Groet,</p>', '<p onclick="location=\'https://elders.example/\'">{{worker.name}}</p>', '</body></html>', ''].join('\n'),
    );
    expectCleanError(await render(tpl, 'actief.html'), 2, /^schuilnaam: error: template tpl\/actief\.html has active content, which a letter may not carry: <script> \(line 5\), onclick attribute \(line 7\)\n/u);
    expect(fs.existsSync(at('actief.html'))).toBe(false);
  });

  it('a javascript: link that came from a --set value: the value is named', async () => {
    const tpl = write('tpl/link.html', '<p>Beste ouders,</p>\n<p>Zie <a href="{{site}}">onze site</a>.</p>\n<p>{{worker.name}}</p>\n');
    expectCleanError(await render(tpl, 'link.html', ['--set', 'site=javascript:alert(1)']), 2, /javascript: URL in the href attribute \(line 2, from the value of \{\{site\}\}\)/u);
    expect(fs.existsSync(at('link.html'))).toBe(false);
  });

  it('nothing is registered for a refused template', async () => {
    const documents = async () => json<{ documents: unknown[] }>(expectOk(await run(['document', 'list', '--case', CASE, '--json']))).documents;
    const before = (await documents()).length;
    write('tpl/iframe.html', '<p>{{worker.name}}</p>\n<iframe src="https://elders.example/"></iframe>\n');
    expectCleanError(await render('tpl/iframe.html', 'iframe.html'), 2, /<iframe> \(line 2\)/u);
    expect(await documents()).toHaveLength(before);
  });
});

describe('HTML letters in a browser', () => {
  it('a template with removable tricks: written with a warning naming each; the browser shows the pseudonym and no colleague, runs nothing', async () => {
    const tpl = write(
      'tpl/trucs.html',
      [
        '<!doctype html>',
        `<html><head><title>Brief</title><style>p.groet::after { content: "${COLLEAGUE.full}"; } body { font-family: "DejaVu Serif"; }</style></head>`,
        '<body>',
        '<!-- concept -->',
        '<p class="groet">Met vriendelijke groet,</p>',
        '<p>{{worker.name}}<br>{{team.name}}</p>',
        `<noscript><p title="</noscript><img src=x onerror=&quot;document.body.append('${COLLEAGUE.full}');document.documentElement.setAttribute('data-ran','1')&quot;>"></p></noscript>`,
        `<img alt="" src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3Ctext y='20'%3ETeam%3C/text%3E%3C/svg%3E">`,
        '</body></html>',
        '',
      ].join('\n'),
    );
    const r = await render(tpl, 'trucs.html');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/leak gate: clean/u);
    expect(r.stderr).toBe('schuilnaam: warning: removed from the HTML template tpl/trucs.html: CSS content (line 2), comment (line 4), <noscript> (line 7), <img> (line 8)\n');
    const html = fs.readFileSync(at('trucs.html'), 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;/u);

    const p = json<{ pseudonym: string }>(expectOk(await run(['pseudonym', 'get', '--case', CASE, '--worker', W.signer, '--json'])));
    const shown = await show('trucs.html');
    expect(shown.text).toContain(p.pseudonym);
    expect(shown.text).toContain('Met vriendelijke groet,');
    expect(shown.text).not.toContain(COLLEAGUE.last);
    expect(shown.scripts).toBe(0);
    expect(shown.marker).toBeNull();
    // Whatever the browser shows, the gate saw: here, no worker at all (the signer appears only by pseudonym).
    const gate = await highWorkers('trucs.html');
    for (const w of await shownWorkers('trucs.html', shown)) expect(gate.has(w), `${w} shown by the browser, not seen by the gate`).toBe(true);
    expect(gate.size).toBe(0);
  });

  it('a Markdown letter with markup in a value: the browser shows it as text, no script, and the CSP stops a script slipped in afterwards', async () => {
    const r = expectOk(await render('uitnodiging', 'md.html', ['--set', 'onderwerp=<script>document.body.append("x")</script><b>vet</b>', '--set', 'datum=dinsdag 3 maart 2026', '--set', 'tijd=10.00 uur', '--set', 'locatie=Politiebureau Zuid']));
    expect(r.stdout).toMatch(/leak gate: clean/u);
    let shown = await show('md.html');
    expect(shown.text).toContain('<script>document.body.append("x")</script><b>vet</b>');
    expect(shown.scripts).toBe(0);
    // Defence in depth: a script that reaches the file some other way (an editor, a parser that reads it differently) does not run.
    const tampered = fs.readFileSync(at('md.html'), 'utf8').replace('</body>', `<script>document.documentElement.setAttribute('data-ran','1');document.body.append('${COLLEAGUE.full}')</script><img src="x" onerror="window.__ran='img'"></body>`);
    write('md-tampered.html', tampered);
    shown = await show('md-tampered.html');
    expect(shown.marker).toBeNull();
    expect(shown.text).not.toContain(COLLEAGUE.last);
  });

  it('an own .html letter with tables, lists and links: every worker the browser shows, the gate saw (none)', async () => {
    const tpl = write(
      'tpl/net.html',
      [
        '<html lang="nl"><head><title>Verslag {{case.reference}}</title></head><body>',
        '<h1>Verslag</h1>',
        '<table border="1"><tr><th>Wat</th><th>Wanneer</th></tr><tr><td>Gesprek</td><td>{{datum}}</td></tr></table>',
        '<ul><li>Bel: <a href="tel:{{team.phone}}">{{team.phone}}</a></li><li>Mail: <a href="mailto:{{team.email}}">{{team.email}}</a></li></ul>',
        '<p>{{worker.formal_name}}</p>',
        '</body></html>',
        '',
      ].join('\n'),
    );
    expectOk(await render(tpl, 'net.html', ['--set', 'datum=4 maart 2026']));
    const shown = await show('net.html');
    expect(shown.text).toContain(`Verslag ${CASE}`);
    expect(shown.text).toMatch(/Gesprek\s+4 maart 2026/u);
    const gate = await highWorkers('net.html');
    const browserSaw = await shownWorkers('net.html', shown);
    for (const w of browserSaw) expect(gate.has(w), `${w} shown by the browser, not seen by the gate`).toBe(true);
    expect(browserSaw.size).toBe(0);
  });
});

describe('scan reads a page as the browser shows it', () => {
  // Pages from elsewhere (not rendered here): the browser shows a colleague's name through
  // CSS, a frame, ruby markup or a script; scan must see it each time.
  const PAGES: [string, string][] = [
    ['css-content.html', `<html><head><style>.w::after { content: "${COLLEAGUE.first} " "ter Ho\\72 st"; }</style></head><body><p class="w">Contact: </p></body></html>`],
    ['srcdoc.html', `<html><body><p>Zie hieronder.</p><iframe srcdoc="&lt;p&gt;${COLLEAGUE.first} ter &lt;b&gt;Ho&lt;/b&gt;rst&lt;/p&gt;"></iframe></body></html>`],
    ['ruby.html', `<html><body><p><ruby>${COLLEAGUE.first} ter Ho<rp>(</rp><rt>h</rt><rp>)</rp>rst</ruby></p></body></html>`],
    ['script.html', `<html><body><p>Hallo</p><script>document.body.append("${COLLEAGUE.full}")</script></body></html>`],
  ];
  for (const [file, html] of PAGES) {
    it(`${file}: the browser shows the colleague, and scan finds them`, async () => {
      write(file, html);
      const shown = await show(file);
      const browserSaw = await shownWorkers(file, shown);
      expect(browserSaw.has(W.colleague), `the browser shows ${COLLEAGUE.full} in ${file}: ${JSON.stringify(shown.text)}`).toBe(true);
      const scanSaw = await highWorkers(file);
      for (const w of browserSaw) expect(scanSaw.has(w), `${w} shown by the browser in ${file}, not found by scan`).toBe(true);
    });
  }
});
