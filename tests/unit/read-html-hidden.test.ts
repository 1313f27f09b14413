// HTML read as a browser (or a curious recipient) shows it: a colleague's
// name hidden in a percent-encoded link, a data: URL, CSS content:, an
// <iframe srcdoc>, ruby markup, <template>/<noscript> or text hidden with CSS
// is found by `scan` and the leak gate, with the right worker and a location
// that says where. In process, on a real vault in a temp dir; every person
// here is invented.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataUrlText, percentDecode, urlTexts } from '../../src/core/url-text.js';
import { readHtml } from '../../src/formats/read-html.js';
import { systemRandom } from '../../src/crypto/random.js';
import { Scanner, type Finding } from '../../src/vault/scanner.js';
import { createVault, VaultFile, type Vault } from '../../src/vault/vault.js';
import { testShmDir } from '../helpers/tmp.js';

const PASSPHRASE = new TextEncoder().encode('negen natte nijlpaarden');

let dir: string;
let vault: Vault;
let scanner: Scanner;
const ids: Record<string, string> = {};

beforeAll(async () => {
  dir = testShmDir('schuilnaam-html-hidden-');
  const file = path.join(dir, 'vault.db');
  let t = Date.parse('2026-02-02T09:00:00Z');
  const deps = { clock: () => new Date((t += 1000)), random: systemRandom, kdfProfile: 'owasp-floor' as const };
  await createVault(file, PASSPHRASE, 'admin', deps);
  vault = (await VaultFile.open(file, deps)).unlockWithPassphrase(PASSPHRASE);
  ids.wieke = vault.workers.add({ first_name: 'Wieke', last_name: 'Brandsma', email: 'w.brandsma@jz-oost.example' });
  ids.tjeerd = vault.workers.add({ first_name: 'Tjeerd', prefix: 'van der', last_name: 'Meulen' });
  ids.gonny = vault.workers.add({ first_name: 'Gonny', last_name: 'Hoekstra' });
  scanner = new Scanner(vault.scanIndex);
});
afterAll(() => {
  vault?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function high(html: string): Promise<Finding[]> {
  const segments = await readHtml(new TextEncoder().encode(html), 'brief.html');
  return (await scanner.scan(segments)).findings.filter((f) => f.confidence === 'high');
}

const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const percentAll = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

const page = (inner: string) => `<!DOCTYPE html>\n<html lang="nl"><head><title>Brief</title></head>\n<body>\n<p>Beste ouders,</p>\n${inner}\n<p>Met vriendelijke groet, Team Oost</p>\n</body></html>\n`;

describe('HTML: names a browser shows or a link carries are found', () => {
  // The seen-text pass also decodes URL text inside the attribute itself, so a link's name may be
  // found in the attribute as written before its decoded copy is read.
  const CASES: { what: string; html: string; worker: string; location: RegExp; line?: number }[] = [
    { what: 'a name in a link query, %20 for the space', html: page('<p><a href="https://afspraak.example/?met=Wieke%20Brandsma">plan</a></p>'), worker: 'wieke', location: /^attribute:href(:decoded)?$/u, line: 5 },
    { what: 'a name fully percent-encoded in a link', html: page(`<p><a href="https://x.example/${percentAll('Tjeerd van der Meulen')}">x</a></p>`), worker: 'tjeerd', location: /^attribute:href(:decoded)?$/u },
    { what: 'an e-mail address percent-encoded in a mailto link', html: page(`<p><a href="mailto:${percentAll('w.brandsma@jz-oost.example')}">mail ons</a></p>`), worker: 'wieke', location: /^attribute:href(:decoded)?$/u },
    { what: 'a data: URL (text, percent-encoded) in an image', html: page('<img alt="logo" src="data:text/plain,Gonny%20Hoekstra">'), worker: 'gonny', location: /^attribute:src:data$/u },
    { what: 'a base64 data: SVG with the name split over tags', html: page(`<img alt="logo" src="data:image/svg+xml;base64,${base64('<svg xmlns="http://www.w3.org/2000/svg"><text>Gon<tspan>ny</tspan> Hoek&#115;tra</text></svg>')}">`), worker: 'gonny', location: /^attribute:src:data:body$/u },
    { what: 'a data: HTML page in an object', html: page(`<object data="data:text/html;charset=utf-8,${encodeURIComponent('<p>Tjeerd <b>van der</b> Meulen</p>')}"></object>`), worker: 'tjeerd', location: /^attribute:data:data:body$/u },
    { what: 'a data: URL in any attribute (a data-* attribute)', html: page(`<div data-bron="data:;base64,${base64('Wieke Brandsma')}">x</div>`), worker: 'wieke', location: /^attribute:data-bron:data$/u },
    { what: 'CSS content: in a <style>, split over two strings and a CSS escape', html: `<html><head><style>p.groet::after { content: "Gonny " "Hoe\\6B stra"; }</style></head><body><p class="groet">Groet,</p></body></html>`, worker: 'gonny', location: /^css$/u, line: 1 },
    { what: 'CSS content: in a style attribute, entity-encoded quotes', html: page('<p style="color: #333; content: &quot;Wieke Brandsma&quot;">x</p>'), worker: 'wieke', location: /^css$/u },
    { what: 'CSS quotes: around a <q>', html: page('<style>q { quotes: "Tjeerd van der Meulen" ""; }</style><p><q></q></p>'), worker: 'tjeerd', location: /^css$/u },
    { what: 'a data: SVG in a CSS url()', html: page(`<div style="background: url(data:image/svg+xml;base64,${base64('<svg><text>Wieke Brandsma</text></svg>')})">x</div>`), worker: 'wieke', location: /^css:url:data:body$/u },
    { what: 'an <iframe srcdoc> with the name behind entities and tags', html: page('<iframe srcdoc="&lt;p&gt;Gon&lt;i&gt;ny&lt;/i&gt; Hoekstra&lt;/p&gt;"></iframe>'), worker: 'gonny', location: /^attribute:srcdoc:body$/u, line: 5 },
    { what: '<ruby> with <rt>/<rp> annotations inside the name', html: page('<p><ruby>Wie<rp>(</rp><rt>wi</rt><rp>)</rp>ke Brand<rt>b</rt>sma</ruby></p>'), worker: 'wieke', location: /^body$/u, line: 5 },
    { what: '<template> content', html: page('<template><p>Tjeerd van der Meulen</p></template>'), worker: 'tjeerd', location: /^body$/u },
    { what: '<noscript> content', html: page('<noscript>Gonny Hoekstra</noscript>'), worker: 'gonny', location: /^body$/u },
    { what: 'text hidden with CSS (display:none, white on white, font-size 0)', html: page('<p style="display:none">Wieke Brandsma</p><span style="color:#fff;font-size:0">Tjeerd van der Meulen</span>'), worker: 'wieke', location: /^body$/u },
    { what: 'a name a script would write', html: page('<script>document.body.append("Gonny Hoekstra")</script>'), worker: 'gonny', location: /^script$/u },
  ];
  for (const c of CASES) {
    it(c.what, async () => {
      const found = await high(c.html);
      const hit = found.find((f) => f.worker === ids[c.worker]);
      expect(hit, `${c.what}: findings ${JSON.stringify(found.map((f) => [f.kind, f.text, f.location]))}`).toBeDefined();
      expect(hit!.location).toMatch(c.location);
      if (c.line !== undefined) expect(hit!.line).toBe(c.line);
    });
  }

  it('the same letter without the hidden name: no high-confidence finding (pseudonyms, team, ordinary CSS, links and pictures)', async () => {
    const clean = page(
      [
        '<style>p { font-family: "DejaVu Serif"; } q { quotes: "“" "”"; } li::before { content: "• "; }</style>',
        '<p><a href="https://www.jeugdzorg-oost.example/contact?team=Team+Oost&amp;taal=nl">contact</a> <a href="tel:+31201234567">bel ons</a></p>',
        `<img alt="logo" src="data:image/svg+xml;base64,${base64('<svg><text>Team Oost</text></svg>')}">`,
        '<iframe srcdoc="&lt;p&gt;Hartelijke groet&lt;/p&gt;"></iframe><ruby>漢<rt>kan</rt></ruby>',
      ].join('\n'),
    );
    expect(await high(clean)).toEqual([]);
  });

  it('a ruby annotation is read on its own and does not split the base text', async () => {
    const segments = await readHtml(new TextEncoder().encode('<p><ruby>Gon<rt>x</rt>ny</ruby></p>'), 'r.html');
    expect(segments.find((s) => s.location === 'body')!.text).toBe('Gonny\n');
    expect(segments.find((s) => s.location === 'ruby-annotation')!.text).toBe('x');
  });
});

describe('url-text', () => {
  it('percentDecode: valid UTF-8 runs decoded, invalid ones kept as written', () => {
    expect(percentDecode('%C3%96zlem%20K')).toBe('Özlem K');
    expect(percentDecode('100%25 zeker %FF')).toBe('100% zeker %FF');
  });
  it('dataUrlText: text-like payloads only, base64 and percent-encoded', () => {
    expect(dataUrlText('data:,Gonny%20Hoekstra')).toBe('Gonny Hoekstra');
    expect(dataUrlText(`data:image/svg+xml;base64,${base64('<svg/>')}`)).toBe('<svg/>');
    expect(dataUrlText('data:image/png;base64,iVBORw0KGgo=')).toBeNull();
    expect(dataUrlText('https://x.example/')).toBeNull();
  });
  it('urlTexts: "+" is a space in a query only, so a phone link stays as written', () => {
    expect(urlTexts('tel:+31201234567')).toEqual([]);
    expect(urlTexts('https://x.example/a+b?n=Wieke+Brandsma#c+d')).toEqual(['https://x.example/a+b?n=Wieke Brandsma#c+d']);
    expect(urlTexts('https://x.example/?n=%2557ieke')).toEqual(['https://x.example/?n=Wieke']);
  });
});
