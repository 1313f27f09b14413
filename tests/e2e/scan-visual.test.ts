// End-to-end tests of the leak gate reading text as a person sees it (issue
// 14, finding 2): look-alike letters of other scripts, compatibility forms,
// invisible characters (removed and reported), every kind of dash, words
// broken at a line end, letter spacing, glued names and handles, Markdown
// emphasis inside a name, Word parts with XML entities, and percent-encoded
// links. `scan`, `render` and `redact` on the built CLI. All people, numbers
// and addresses are invented.
import fs from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type RunOptions, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectOk } from '../helpers/expect.js';

interface FindingJson {
  kind: string;
  confidence: 'high' | 'low';
  text: string;
  location: string;
  line: number | null;
  column: number | null;
  worker: string | null;
}

interface ScanJson {
  clean: boolean;
  files: { file: string; findings: FindingJson[]; error?: string }[];
}

let sb: Sandbox;
let token: string;
const W = { marjolein: '', ruud: '', sanne: '', joost: '', fiona: '' };

const cli = (args: string[], opts: RunOptions = {}): Promise<RunResult> => sb.run(args, { ...opts, env: { SCHUILNAAM_SESSION: token, ...opts.env } });

function write(name: string, content: string | Uint8Array): string {
  fs.writeFileSync(path.join(sb.dir, name), content);
  return name;
}

async function scanJson(file: string): Promise<{ r: RunResult; out: ScanJson; findings: FindingJson[] }> {
  const r = await cli(['scan', file, '--json']);
  const out = json<ScanJson>(r);
  return { r, out, findings: out.files[0]!.findings };
}

/** Scans `text` as a .txt file and expects a high finding of `kind` for `worker`. */
async function expectHigh(name: string, text: string, kind: string, worker: string): Promise<FindingJson[]> {
  const { r, findings } = await scanJson(write(name, text));
  expect(r.exitCode, `${JSON.stringify(text)}: ${r.stdout}${r.stderr}`).toBe(1);
  expect(findings, JSON.stringify(text)).toContainEqual(expect.objectContaining({ kind, confidence: 'high', worker }));
  return findings;
}

beforeAll(async () => {
  sb = makeSandbox();
  await sb.init();
  token = expectOk(await sb.runP(['unlock'])).stdout.trim();
  const add = async (args: string[]) => expectOk(await cli(['worker', 'add', ...args, '--team', 'Team Zuid'])).stdout.trim();
  W.marjolein = await add(['--first-name', 'Marjolein', '--last-name', 'Verbeek', '--email', 'm.verbeek@jeugdzorg-proef.nl', '--phone', '06-28374651']);
  W.ruud = await add(['--first-name', 'Ruud', '--last-name', 'Verhoeven']);
  W.sanne = await add(['--first-name', 'Sanne', '--last-name', 'Hoekstra-Dijkman']);
  W.joost = await add(['--first-name', 'Joost', '--last-name', 'Wouters']);
  W.fiona = await add(['--first-name', 'Fiona', '--last-name', 'Stoffels']);
  for (const id of Object.values(W)) expect(id).toMatch(/^W-/u);
  expectOk(await cli(['team', 'set', 'Team Zuid', '--phone', '030-1112223', '--email', 'team.zuid@jeugdzorg-proef.nl']));
  expectOk(await cli(['case', 'add', '2026-0777', '--team', 'Team Zuid']));
  expectOk(await cli(['case', 'assign', '2026-0777', W.marjolein]));
});

afterAll(() => sb?.cleanup());

describe('look-alike letters and compatibility forms', () => {
  const CASES: [string, string][] = [
    ['one Cyrillic e', 'Groeten van Marjolein Verb\u0435ek.'],
    ['Cyrillic M and a', 'Groeten van \u041C\u0430rjolein Verbeek.'],
    ['Greek omicron and iota', 'Groeten van Marj\u03BFle\u03B9n Verbeek.'],
    ['Cyrillic capital I-look-alike in a capitalised name', 'MARJOLE\u0406N VERBEEK belde.'],
    ['full-width letters', 'Groeten van \uFF2D\uFF41\uFF52\uFF4A\uFF4F\uFF4C\uFF45\uFF49\uFF4E \uFF36\uFF45\uFF52\uFF42\uFF45\uFF45\uFF4B.'],
    ['mathematical bold', 'Groeten van \u{1D40C}\u{1D41A}\u{1D42B}\u{1D423}\u{1D428}\u{1D425}\u{1D41E}\u{1D422}\u{1D427} Verbeek.'],
  ];
  for (const [label, text] of CASES) {
    it(`${label}: a full name, high, quoted as it stands`, async () => {
      const findings = await expectHigh('lookalike.txt', text, 'full-name', W.marjolein);
      const f = findings.find((x) => x.kind === 'full-name')!;
      // The quoted text is the document's own (the look-alikes in it), at the name's column.
      expect(text).toContain(f.text);
      expect(f.column).toBe([...text.slice(0, text.indexOf(f.text))].length + 1);
    });
  }

  it('a ligature inside a name: "Stoﬀels" and "ﬁona stoﬀels"', async () => {
    await expectHigh('ligatuur.txt', 'Met Fiona Sto\uFB00els besproken.', 'full-name', W.fiona);
    await expectHigh('ligatuur2.txt', 'met \uFB01ona sto\uFB00els besproken.', 'full-name', W.fiona);
  });

  it('Dutch diacritics still fold as before: "Marjoléin Vérbeek"', async () => {
    await expectHigh('accent.txt', 'Marjoléin Vérbeek', 'full-name', W.marjolein);
  });
});

describe('invisible characters: removed before matching, and reported', () => {
  it('zero-width space, word joiner, soft hyphen, variation selector and a tag character inside a name still match', async () => {
    for (const text of ['Marjo\u200Blein Verbeek', 'Marjolein Ver\u2060beek', 'Marjolein Ver\u00ADbeek', 'Marjolein\uFE0F Verbeek', 'Marjolein Verb\u{E0041}eek']) {
      await expectHigh('onzichtbaar.txt', `Groet, ${text}.`, 'full-name', W.marjolein);
    }
  });

  it('a bidi override fails the scan on its own, reported where it sits, and is shown as a code, never printed raw', async () => {
    const text = 'Beste ouders,\nZie het verslag van \u202Ekeebrev\u202C hieronder.\n';
    const { r, findings } = await scanJson(write('bidi.txt', text));
    expect(r.exitCode).toBe(1);
    expect(findings).toContainEqual({
      kind: 'hidden-characters', confidence: 'high', text: 'U+202E (right-to-left override) and 1 more', location: 'body', line: 2, column: 21, worker: null,
    });
    const human = await cli(['scan', 'bidi.txt', '--no-color']);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toContain('high hidden-characters: "U+202E (right-to-left override) and 1 more"');
    expect(human.stdout).toContain('⟨U+202E⟩');
    expect(human.stdout).not.toMatch(/[\u202A-\u202E]/u);
  });

  it('a name written backwards inside an override (shown forwards) is a bidi finding; isolates count too', async () => {
    for (const text of ['Contact: \u202Ekeebrev nielojram\u202C', 'Contact: \u2067Marjolein Verbeek\u2069']) {
      const { r, findings } = await scanJson(write('bidi2.txt', text));
      expect(r.exitCode).toBe(1);
      expect(findings.some((f) => f.kind === 'hidden-characters' && f.confidence === 'high')).toBe(true);
    }
  });

  it('a zero-width space alone is reported low (the letter is not failed for it); a soft hyphen alone is not reported', async () => {
    let { r, findings } = await scanJson(write('zw.txt', 'Het ge\u200Bsprek was goed.'));
    expect(r.exitCode).toBe(0);
    expect(findings).toEqual([expect.objectContaining({ kind: 'hidden-characters', confidence: 'low', text: 'U+200B (zero-width space)', line: 1, column: 7 })]);
    ({ r, findings } = await scanJson(write('shy.txt', 'Het ge\u00ADsprek was goed.')));
    expect(r.exitCode).toBe(0);
    expect(findings).toEqual([]);
  });
});

describe('dashes and digits of every kind', () => {
  const PHONES = [
    '06\u201128374651', // non-breaking hyphen, as Word writes it
    '06\u20132837\u20134651', // en dash
    '06\u22122837\u22124651', // minus sign
    '\uFF10\uFF16\uFF0D\uFF12\uFF18\uFF13\uFF17\uFF14\uFF16\uFF15\uFF11', // full-width digits and hyphen
    '\u0660\u0666-\u0662\u0668\u0663\u0667\u0664\u0666\u0665\u0661', // Arabic-Indic digits
    '06\u200928\u200937\u200946\u200951', // thin spaces
  ];
  for (const phone of PHONES) {
    it(`the phone number written ${JSON.stringify(phone)}`, async () => {
      const text = `Bel ons op ${phone} of mail.`;
      const findings = await expectHigh('telefoon.txt', text, 'phone', W.marjolein);
      // White space in the quoted text is shown as plain spaces.
      expect(findings.find((f) => f.kind === 'phone')).toMatchObject({ text: phone.replace(/\s/gu, ' '), line: 1, column: 12 });
    });
  }

  it('a double surname with a non-breaking hyphen, en dash or hyphen sign', async () => {
    for (const d of ['\u2011', '\u2010', '\u2013', '\uFE63', '\uFF0D']) await expectHigh('dubbel.txt', `Sanne Hoekstra${d}Dijkman`, 'full-name', W.sanne);
  });
});

describe('a word broken at a line end', () => {
  it('joined: "Verhoe-⏎ven" with a hyphen, a soft hyphen or U+2010, reported at its start with the break in its text', async () => {
    for (const h of ['-', '\u00AD', '\u2010']) {
      const text = `Beste ouders,\nuw gezinsvoogd Ruud Verhoe${h}\nven komt langs.\n`;
      const findings = await expectHigh('afgebroken.txt', text, 'full-name', W.ruud);
      expect(findings.find((f) => f.kind === 'full-name')).toMatchObject({ line: 2, column: 16, text: `Ruud Verhoe${h} ven` });
    }
  });

  it('a double surname broken at its own hyphen is still the double surname', async () => {
    await expectHigh('dubbel-regel.txt', 'Sanne Hoekstra-\nDijkman', 'full-name', W.sanne);
  });

  it('redact replaces the whole broken name, line break included', async () => {
    write('redact-in.txt', 'Uw contactpersoon is Marjolein Ver-\nbeek; bel 06\u201128374651.\n');
    const r = await cli(['redact', 'redact-in.txt', '--case', '2026-0777', '--out', 'redact-uit.txt']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = fs.readFileSync(path.join(sb.dir, 'redact-uit.txt'), 'utf8');
    expect(out).not.toMatch(/Marjolein|Ver-|beek|28374651/u);
    expect(out).toMatch(/^Uw contactpersoon is \S.* \S+; bel 030-1112223\.\n$/u);
  });
});

describe('letter spacing', () => {
  it('"J o o s t  W o u t e r s" with spaces, NBSP or thin spaces, and "mevrouw W o u t e r s"', async () => {
    await expectHigh('spatie.txt', 'Namens J o o s t  W o u t e r s, uw gezinsvoogd.', 'full-name', W.joost);
    await expectHigh('spatie2.txt', 'Namens J\u00A0o\u00A0o\u00A0s\u00A0t W\u2009o\u2009u\u2009t\u2009e\u2009r\u2009s.', 'full-name', W.joost);
    const f = await expectHigh('spatie3.txt', 'Contact: meneer W o u t e r s', 'surname', W.joost);
    expect(f.find((x) => x.kind === 'surname')).toMatchObject({ text: 'meneer W o u t e r s', column: 10 });
  });

  it('letter-spaced as one run reads as the glued name: "M a r j o l e i n V e r b e e k"', async () => {
    await expectHigh('spatie4.txt', 'M a r j o l e i n V e r b e e k', 'full-name', W.marjolein);
  });
});

describe('glued names, hashtags and handles', () => {
  for (const text of ['MarjoleinVerbeek', 'marjoleinverbeek', '#MarjoleinVerbeek', '@marjolein_verbeek', 'marjolein.verbeek', 'MARJOLEINVERBEEK']) {
    it(`"${text}" is the full name`, async () => {
      await expectHigh('handle.txt', `Volg ook ${text} op sociale media.`, 'full-name', W.marjolein);
    });
  }
});

describe('Markdown read as it shows', () => {
  it('emphasis inside a name: found in the .md file, once', async () => {
    for (const text of ['Mar**jolein** Verbeek', 'Marjolein _Ver_beek', 'Marjolein Ve*rbee*k', 'Chlo&euml; Marjolein Verbeek']) {
      const { r, findings } = await scanJson(write('brief.md', `# Verslag\n\nAanwezig: ${text}.\n`));
      expect(r.exitCode, text).toBe(1);
      const names = findings.filter((f) => f.kind === 'full-name');
      expect(names, text).toHaveLength(1);
      expect(names[0]).toMatchObject({ confidence: 'high', worker: W.marjolein });
    }
  });

  it('a name the source already shows is reported once, with its line', async () => {
    const { r, findings } = await scanJson(write('brief2.md', '# Verslag\n\n**Marjolein Verbeek** was er.\n'));
    expect(r.exitCode).toBe(1);
    expect(findings.filter((f) => f.kind === 'full-name')).toEqual([expect.objectContaining({ location: 'body', line: 3, column: 3, text: 'Marjolein Verbeek' })]);
  });
});

describe('Word parts with a DTD', () => {
  it('an internal entity that spells a name: refused with exit 2, like any unreadable Word file', async () => {
    const doc = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE w:document [<!ENTITY nm "Marjolein Verbeek">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Groet, &nm;</w:t></w:r></w:p></w:body></w:document>`;
    const bytes = zipSync({
      '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'),
      'word/document.xml': strToU8(doc),
    });
    const r = await cli(['scan', write('entiteit.docx', bytes), '--json']);
    expect(r.exitCode).toBe(2);
    expect(json<ScanJson>(r).files[0]!.error).toMatch(/entiteit\.docx is not a readable Word document: word\/document\.xml declares a DTD or XML entities/u);
  });
});

describe('percent-encoded names in links', () => {
  const ENCODED = '%4D%61%72%6A%6F%6C%65%69%6E%20%56%65%72%62%65%65%6B';
  it('in a URL in plain text, every byte encoded', async () => {
    await expectHigh('link.txt', `Zie https://voorbeeld.example/profiel?naam=${ENCODED} voor meer.`, 'full-name', W.marjolein);
  });

  it('in a Markdown link target', async () => {
    await expectHigh('link.md', `Zie [het profiel](https://voorbeeld.example/p/${ENCODED}).\n`, 'full-name', W.marjolein);
  });

  it('in an e-mail body, and encoded twice in a Word hyperlink', async () => {
    const eml = ['From: Team Zuid <team.zuid@jeugdzorg-proef.nl>', 'To: ouders@example.org', 'Subject: Verslag', 'Content-Type: text/plain; charset=utf-8', '', `Zie www.voorbeeld.example/${ENCODED}`, ''].join('\r\n');
    await expectHigh('bericht.eml', eml, 'full-name', W.marjolein);
    const twice = ENCODED.replace(/%/gu, '%25');
    const bytes = zipSync({
      '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'),
      'word/document.xml': strToU8('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Zie de link.</w:t></w:r></w:p></w:body></w:document>'),
      'word/_rels/document.xml.rels': strToU8(
        `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://voorbeeld.example/${twice}" TargetMode="External"/></Relationships>`,
      ),
    });
    const { r, findings } = await scanJson(write('link.docx', bytes));
    expect(r.exitCode).toBe(1);
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'full-name', location: 'hyperlink', worker: W.marjolein }));
  });
});

describe('ordinary text stays clean', () => {
  it('Dutch text with dashes, line-end hyphens, spaced initials, hashtags and letter-spaced headings: no high finding', async () => {
    const text = [
      'Afspraak op dinsdag 09:00\u201317:00 in Noord-',
      'Holland, over zorg- en welzijnsvragen \u2013 ook voor kinderen van 6\u201112 jaar.',
      'Aanwezig: J. K. de Boer en A.B. Smits; meneer J K de Boer kon niet.',
      '#jeugdzorg #samenwerken @gemeente_zuid www.voorbeeld.example/nieuws?q=zorg%20en%20welzijn',
      'N I E U W S B R I E F: a b c of d e f.',
      'De verbeek\u2011straat en Verbeekstraat liggen in het centrum.',
      '',
    ].join('\n');
    const { r, findings } = await scanJson(write('gewoon.txt', text));
    expect(r.exitCode, r.stdout).toBe(0);
    expect(findings.filter((f) => f.confidence === 'high')).toEqual([]);
  });

  it('a short glued name is low, not high: "RuudVerhoeven" is long enough, but glued forms under nine letters are not', async () => {
    await expectHigh('kort.txt', 'Groet van RuudVerhoeven', 'full-name', W.ruud);
  });
});

describe('render: the gate sees what the reader sees', () => {
  it('a value with a look-alike letter, a zero-width space or letter spacing is refused, with the value named', async () => {
    write('brief-sjabloon.md', 'Beste ouders,\n\n{{onderwerp}}\n\nGroet, {{worker.name}}\n');
    for (const value of ['Contact: Marjolein Verb\u0435ek', 'Contact: Marjo\u200Blein Verbeek', 'Contact: J o o s t  W o u t e r s', 'Contact: #MarjoleinVerbeek']) {
      const out = `gerenderd-${Math.random().toString(36).slice(2)}.txt`;
      const r = await cli(['render', 'brief-sjabloon.md', '--case', '2026-0777', '--worker', W.marjolein, '--out', out, '--set', `onderwerp=${value}`, '--json']);
      expect(r.exitCode, `${value}: ${r.stdout}${r.stderr}`).toBe(1);
      const j = json<{ findings: { kind: string; source: string }[] }>(r);
      expect(j.findings).toContainEqual(expect.objectContaining({ kind: 'full-name', source: 'the value of {{onderwerp}}' }));
      expect(fs.existsSync(path.join(sb.dir, out))).toBe(false);
    }
  });

  it('a template with Markdown emphasis inside a name or a bidi override is refused', async () => {
    write('nadruk.md', 'Beste ouders,\n\nUw vorige contactpersoon was Mar**jolein** Verbeek.\n\nGroet, {{worker.name}}\n');
    let r = await cli(['render', 'nadruk.md', '--case', '2026-0777', '--worker', W.marjolein, '--out', 'nadruk-uit.md']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(fs.existsSync(path.join(sb.dir, 'nadruk-uit.md'))).toBe(false);
    write('bidi-sjabloon.txt', 'Beste ouders,\n\nZie \u202Ehieronder\u202C.\n\nGroet, {{worker.name}}\n');
    r = await cli(['render', 'bidi-sjabloon.txt', '--case', '2026-0777', '--worker', W.marjolein, '--out', 'bidi-uit.txt', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(json<{ findings: { kind: string }[] }>(r).findings).toContainEqual(expect.objectContaining({ kind: 'hidden-characters' }));
  });
});
