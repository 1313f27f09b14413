import fs from 'node:fs';
import fc from 'fast-check';
import { Marked } from 'marked';
import { describe, expect, it, vi } from 'vitest';
import { longDate } from '../../src/core/dates.js';
import { catalogEntry, parseCatalog, type CatalogEntry } from '../../src/core/template-catalog.js';
import {
  CASE_FACING_PLACEHOLDERS,
  checkSetKey,
  escapeForTemplate,
  escapeHtml,
  escapeMarkdown,
  parseTemplate,
  placeholderKind,
  placeholderNames,
  renderTemplate,
  templateProblems,
} from '../../src/core/template.js';
import { UsageError } from '../../src/errors.js';

// Invented case-facing values, as the vault would hand them over.
const CASE_VALUES: Record<string, string> = {
  'worker.name': 'Eva Smit',
  'worker.formal_name': 'E. Smit',
  'case.reference': 'JB-2026-0417',
  'team.name': 'Team Noord',
  'team.phone': '020 123 4567',
  'team.email': 'team.noord@jeugdbescherming.example',
  'team.address': 'Postbus 1234\n1000 AB Amsterdam',
  today: '25 november 2026',
};

function thrown(f: () => unknown): UsageError {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

function render(source: string, values: Record<string, string> | ReadonlyMap<string, string>, escape?: (s: string) => string) {
  return renderTemplate(parseTemplate(source, 'letter.md'), values, escape ? { escape } : {});
}

// How a Markdown template becomes HTML/PDF: line breaks in a letter are kept.
const markdown = new Marked({ gfm: true, breaks: true, async: false });
const toHtml = (md: string) => markdown.parse(md) as string;

describe('rendering', () => {
  it('fills case-facing values and --set values into the text', () => {
    const { text } = render('Geachte ouder(s)/verzorger(s),\nTot {{datum}}.\n{{worker.name}}, {{team.name}}\n', { ...CASE_VALUES, datum: '1 december' });
    expect(text).toBe('Geachte ouder(s)/verzorger(s),\nTot 1 december.\nEva Smit, Team Noord\n');
  });

  it('allows whitespace inside the braces', () => {
    expect(render('{{ worker.name }}|{{\tdatum  }}', { ...CASE_VALUES, datum: 'morgen' }).text).toBe('Eva Smit|morgen');
  });

  it('takes a Map as well as a record', () => {
    expect(render('Kenmerk: {{case.reference}}', new Map([['case.reference', 'JB-1']])).text).toBe('Kenmerk: JB-1');
  });

  it('leaves single braces and stray closing braces alone', () => {
    expect(render('a {b} c }} d', {}).text).toBe('a {b} c }} d');
  });

  it('does not expand placeholders that appear inside a value', () => {
    expect(render('{{bericht}}', { ...CASE_VALUES, bericht: 'zie {{worker.email}} en {{team.name}}' }).text).toBe('zie {{worker.email}} en {{team.name}}');
  });

  it('does not resolve names from the object prototype', () => {
    const e = thrown(() => render('{{constructor}} {{toString}}', {}));
    expect(e.message).toContain('unfilled placeholder {{constructor}} on line 1');
    expect(e.message).toContain('unfilled placeholder {{toString}} on line 1');
  });

  it('drops a leading byte-order mark', () => {
    expect(render('\uFEFFHallo {{worker.name}}', CASE_VALUES).text).toBe('Hallo Eva Smit');
  });
});

describe('pieces', () => {
  it('split template text at newlines and carry exact lines and placeholder origins', () => {
    const { text, pieces } = render('Beste ouder,\n\nGroet van {{ worker.name }} en\n  {{team.name}}.\n', CASE_VALUES);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces).toEqual([
      { text: 'Beste ouder,\n', origin: { kind: 'template', line: 1 } },
      { text: '\n', origin: { kind: 'template', line: 2 } },
      { text: 'Groet van ', origin: { kind: 'template', line: 3 } },
      { text: 'Eva Smit', origin: { kind: 'placeholder', name: 'worker.name', line: 3, column: 11 } },
      { text: ' en\n', origin: { kind: 'template', line: 3 } },
      { text: '  ', origin: { kind: 'template', line: 4 } },
      { text: 'Team Noord', origin: { kind: 'placeholder', name: 'team.name', line: 4, column: 3 } },
      { text: '.\n', origin: { kind: 'template', line: 4 } },
    ]);
  });

  it('count columns in characters, so an emoji earlier on the line does not shift them', () => {
    const t = parseTemplate('😀 é {{worker.name}}', 't');
    expect(t.placeholders).toEqual([{ name: 'worker.name', line: 1, column: 5 }]);
  });

  it('keep CRLF line endings and still count lines', () => {
    const { pieces } = render('a\r\nb {{worker.name}}\r\n', CASE_VALUES);
    expect(pieces[1]).toEqual({ text: 'b ', origin: { kind: 'template', line: 2 } });
    expect(pieces[2]!.origin).toEqual({ kind: 'placeholder', name: 'worker.name', line: 2, column: 3 });
  });

  it('list the distinct placeholder names in order of first use', () => {
    expect(placeholderNames(parseTemplate('{{b}} {{a}} {{b}}', 't'))).toEqual(['b', 'a']);
  });
});

describe('template errors', () => {
  it('names every unknown and unfilled placeholder with its line in one error', () => {
    const src = 'Geachte ouder,\n\n\n{{worker.real_name}}\n\n\n\n\nOp {{location}}.\n';
    const e = thrown(() => render(src, CASE_VALUES));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^template letter\.md: unknown placeholder \{\{worker\.real_name\}\} on line 4 \(.*\); unfilled placeholder \{\{location\}\} on line 9$/u);
    expect(e.hint).toContain('--set location=');
  });

  it('lists every line of a repeated placeholder once', () => {
    const e = thrown(() => render('{{datum}}\n{{datum}} {{datum}}\n{{datum}}', CASE_VALUES));
    expect(e.message).toBe('template letter.md: unfilled placeholder {{datum}} on lines 1, 2 and 3');
  });

  it('treats an empty or blank value as unfilled', () => {
    const e = thrown(() => render('{{a}} {{b}}', { a: '', b: '  \n' }));
    expect(e.message).toContain('unfilled placeholder {{a}} on line 1');
    expect(e.message).toContain('unfilled placeholder {{b}} on line 1');
    expect(e.hint).toContain('--set a=... --set b=...');
  });

  it('points to team set when a team contact detail is missing', () => {
    const { 'team.phone': _omit, ...rest } = CASE_VALUES;
    const e = thrown(() => render('Bel {{team.phone}}', rest));
    expect(e.message).toBe('template letter.md: unfilled placeholder {{team.phone}} on line 1');
    expect(e.hint).toContain('team set');
  });

  it.each(['worker.email', 'worker.first_name', 'worker.phone', 'worker.employee_no', 'worker.real_name', 'Worker.Last_Name'])(
    'refuses {{%s}}: there is no placeholder for a real identity',
    (name) => {
      const e = thrown(() => render(`Groet,\n{{${name}}}`, { ...CASE_VALUES, [name]: 'Jan de Vries' }));
      expect(e.message).toContain(`unknown placeholder {{${name}}} on line 2`);
      expect(e.message).toContain("no placeholder for a worker's real name, e-mail, phone or personnel number");
      expect(e.message).toContain('{{worker.name}}');
    },
  );

  it('refuses unknown case and team names, and suggests the right spelling of a case-facing one', () => {
    const e = thrown(() => render('{{case.child}} {{team.fax}} {{Worker.Name}} {{TODAY}}', CASE_VALUES));
    expect(e.message).toContain('unknown placeholder {{case.child}} on line 1 (the case placeholders are {{case.reference}})');
    expect(e.message).toContain('unknown placeholder {{team.fax}}');
    expect(e.message).toContain('{{Worker.Name}} on line 1 (did you mean {{worker.name}}?)');
    expect(e.message).toContain('{{TODAY}} on line 1 (did you mean {{today}}?)');
  });

  it('reports problems without throwing for tools that check templates', () => {
    expect(templateProblems(parseTemplate('{{worker.email}}\n{{x}}', 't'), {})).toEqual([
      { kind: 'unknown', name: 'worker.email', lines: [1], reason: expect.stringContaining('real name') },
      { kind: 'unfilled', name: 'x', lines: [2] },
    ]);
  });

  it.each(['{{#section}}x{{/section}}', '{{^kein}}', '{{> partial}}', '{{{raw}}}', '{{!comment}}', '{{& raw}}', '{{ #each }}'])(
    'refuses %s: templates are logic-less',
    (src) => {
      const e = thrown(() => parseTemplate(`Hallo\n${src}`, 'brief.md'));
      expect(e.message).toMatch(/^template brief\.md: .* on line 2: templates are logic-less/u);
    },
  );

  it('names the line of a "{{" without "}}", and of every other syntax error', () => {
    const e = thrown(() => parseTemplate('a\nb {{worker.name\nc {{ }}\nd {{two words}}\n{{ok}}', 'brief.md'));
    expect(e.message).toBe(
      'template brief.md: "{{" on line 2, column 3 has no closing "}}" on that line; empty placeholder {{ }} on line 3; ' +
        'invalid placeholder {{two words}} on line 4 (a name is a letter followed by letters, digits, "_", "." or "-")',
    );
  });
});

describe('--set keys', () => {
  it.each(['locatie', 'datum', 'next_steps', 'a.b-c', 'X1'])('accepts %s', (key) => {
    expect(() => checkSetKey(key)).not.toThrow();
  });

  it.each(['', '1st', 'met spatie', 'a=b', '_x', 'kép'])('refuses the malformed key %j', (key) => {
    expect(thrown(() => checkSetKey(key)).message).toContain('not a valid key');
  });

  it.each([...CASE_FACING_PLACEHOLDERS, 'worker', 'case.child', 'team.fax', 'Today', 'TEAM.phone'])('refuses the reserved key %s', (key) => {
    const e = thrown(() => checkSetKey(key));
    expect(e.message).toMatch(/reserved/u);
    expect(e.hint).toContain('--set');
  });

  it('says there is no real-identity placeholder when someone tries to set one', () => {
    expect(thrown(() => checkSetKey('worker.email')).message).toContain("no placeholder for a worker's real name");
  });

  it('classifies names the way render and --set agree on', () => {
    expect(placeholderKind('worker.name')).toBe('case-facing');
    expect(placeholderKind('locatie')).toBe('value');
    expect(placeholderKind('worker.phone')).toBe('unknown');
  });
});

describe('escaping', () => {
  it('escapes HTML in values, not in the template', () => {
    const { text } = render('<p>{{bericht}}</p>', { bericht: '<script>alert("x")</script> & \'y\'' }, escapeHtml);
    expect(text).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>');
  });

  it('neutralises Markdown and HTML in values, and the template keeps its own Markdown', () => {
    const hostile = '**vet** <b>x</b> [klik](https://example.com) ![img](x.png) `code` _schuin_ | a | b |';
    const { text } = render('**Bericht:** {{bericht}}', { bericht: hostile }, escapeMarkdown);
    const html = toHtml(text);
    expect(html).toContain('<strong>Bericht:</strong>');
    expect(html.match(/<strong>/gu)).toHaveLength(1);
    expect(html).not.toMatch(/<b>|<img|<code>|<em>|<table|>klik</u);
    // GFM still links a bare URL, but only ever with the URL itself as the visible text.
    expect(html).toContain('**vet** &lt;b&gt;x&lt;/b&gt; [klik](<a href="https://example.com">https://example.com</a>) ![img](x.png) `code` _schuin_ | a | b |');
  });

  it('neutralises block Markdown at the start of any line of a value, keeping newlines', () => {
    const hostile = '# Kop\n- punt\n1. een\n2) twee\n> citaat\n---\n===\n+ plus\n```\ncode\n```';
    const escaped = escapeMarkdown(hostile);
    expect(escaped.split('\n')).toHaveLength(hostile.split('\n').length);
    const html = toHtml(`Tekst:\n\n${escaped}`);
    expect(html).not.toMatch(/<h\d|<ul|<ol|<li|<blockquote|<hr|<pre|<code/u);
    // A header line plus ":-" is a one-column GFM table, even without pipes.
    expect(toHtml(escapeMarkdown('a\n:-'))).not.toContain('<table');
    expect(toHtml(escapeMarkdown('a\n-:'))).not.toContain('<table');
  });

  it('keeps ordinary Dutch text readable', () => {
    expect(escapeMarkdown('Jan-Willem komt op 1 mei om 14.00 uur (2e keer).')).toBe('Jan-Willem komt op 1 mei om 14.00 uur (2e keer).');
    expect(escapeMarkdown('14.00 uur\n+31 6 12345678\n-5 graden\n#1 keuze')).toBe('14.00 uur\n+31 6 12345678\n-5 graden\n#1 keuze');
    expect(escapeMarkdown('vader & moeder')).toBe('vader \\& moeder');
  });

  it('stops an HTML entity in a value from turning into other text after conversion', () => {
    expect(toHtml(escapeMarkdown('J&#97;n'))).toContain('J&amp;#97;n');
  });

  it('round-trips any punctuation-heavy value as plain text through Markdown', () => {
    const decode = (html: string) =>
      html
        .replace(/<\/?p>\n?/gu, '')
        .replace(/&lt;/gu, '<')
        .replace(/&gt;/gu, '>')
        .replace(/&quot;/gu, '"')
        .replace(/&#39;/gu, "'")
        .replace(/&amp;/gu, '&');
    const chars = [...'ab1 .-+#*_`[]()<>!|~&{}\\"\':/=^'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 24 }), (parts) => {
        const value = `x${parts.join('')}x`; // framed, since Markdown trims edges
        expect(decode(markdown.parseInline(escapeMarkdown(value)) as string)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any multi-line value as plain lines through Markdown, whatever each line starts with', () => {
    const decode = (html: string) =>
      html
        .replace(/^<p>|<\/p>\n$/gu, '')
        .replace(/<br>\n?/gu, '\n')
        .replace(/&lt;/gu, '<')
        .replace(/&gt;/gu, '>')
        .replace(/&quot;/gu, '"')
        .replace(/&#39;/gu, "'")
        .replace(/&amp;/gu, '&');
    const chars = [...'a1 .-+#*_`[]()<>!|~&{}\\=:'];
    // Lines without blank edges: Markdown strips those, which is layout, not content.
    const line = fc
      .array(fc.constantFrom(...chars), { minLength: 1, maxLength: 12 })
      .map((cs) => cs.join('').trim())
      .filter((l) => l !== '');
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        const value = lines.join('\n');
        expect(decode(toHtml(escapeMarkdown(value)))).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('picks the escape from the template file type', () => {
    expect(escapeForTemplate('brief.md')('<b>')).toBe('\\<b\\>');
    expect(escapeForTemplate('brief.HTML')('<b>')).toBe('&lt;b&gt;');
    expect(escapeForTemplate('brief.txt')('<b>')).toBe('<b>');
  });
});

describe('longDate', () => {
  it('writes the long date in Dutch and English', () => {
    const d = new Date('2026-11-25T10:00:00Z');
    expect(longDate(d, 'nl')).toBe('25 november 2026');
    expect(longDate(d, 'en')).toBe('25 November 2026');
    expect(longDate(new Date('2027-03-01T12:00:00Z'), 'nl')).toBe('1 maart 2027');
  });

  // The module is loaded afresh under each zone: a formatter made at load
  // time without an explicit zone would take the machine's.
  it.each(['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC', 'Europe/Amsterdam'])('uses the calendar day in Amsterdam with the machine in %s', async (zone) => {
    const saved = process.env.TZ;
    process.env.TZ = zone;
    try {
      vi.resetModules();
      const { longDate: inZone } = await import('../../src/core/dates.js');
      // The zone took effect: the machine's own calendar says so.
      const local = new Date('2026-07-31T21:30:00Z').getDate();
      expect(local).toBe({ 'Pacific/Kiritimati': 1, 'America/Los_Angeles': 31, UTC: 31, 'Europe/Amsterdam': 31 }[zone]);
      expect(inZone(new Date('2026-11-25T23:30:00Z'), 'nl')).toBe('26 november 2026'); // 00:30 CET
      expect(inZone(new Date('2026-12-31T23:00:00Z'), 'en')).toBe('1 January 2027');
      expect(inZone(new Date('2026-07-31T22:30:00Z'), 'nl')).toBe('1 augustus 2026'); // 00:30 CEST
      expect(inZone(new Date('2026-07-31T21:30:00Z'), 'nl')).toBe('31 juli 2026'); // 23:30 CEST, already 1 August in Kiritimati
      expect(inZone(new Date('2026-08-01T05:30:00Z'), 'nl')).toBe('1 augustus 2026'); // 07:30 CEST, still 31 July in Los Angeles
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
      vi.resetModules();
    }
  });
});

describe('catalog', () => {
  const entry = { name: 'x', language: 'nl', kind: 'letter', file: 'nl/x.md', description: 'd', values: { locatie: 'waar' } };

  it('accepts a well-formed manifest', () => {
    expect(parseCatalog([entry])).toEqual([entry]);
  });

  it('lists every problem in a malformed manifest', () => {
    const e = thrown(() =>
      parseCatalog([{ ...entry, language: 'de', file: '../x.md', values: { 'worker.email': 'x', ok: '' }, extra: 1 }, 'nope']),
    );
    expect(e.message).toContain('entry 1 (x): unknown field "extra"');
    expect(e.message).toContain('"language" must be one of nl, en');
    expect(e.message).toContain('"file" must be a relative');
    expect(e.message).toContain('value "worker.email" is not a usable --set key');
    expect(e.message).toContain('value "ok" needs a description');
    expect(e.message).toContain('entry 2: not an object');
    expect(thrown(() => parseCatalog({})).message).toContain('expected a JSON array');
  });

  it('refuses duplicate names and dangling translations', () => {
    expect(thrown(() => parseCatalog([entry, entry])).message).toContain('"x" is listed twice');
    expect(thrown(() => parseCatalog([{ ...entry, translation: 'y' }])).message).toContain('translation "y" is not in the catalog');
  });

  it('names the available templates when one is not found', () => {
    const e = thrown(() => catalogEntry(parseCatalog([entry]), 'brief'));
    expect(e.message).toBe('no built-in template called "brief"');
    expect(e.hint).toContain('x');
  });
});

describe('built-in templates', () => {
  const dir = new URL('../../templates/', import.meta.url);
  const catalog: CatalogEntry[] = parseCatalog(JSON.parse(fs.readFileSync(new URL('index.json', dir), 'utf8')));
  const sourceOf = (e: CatalogEntry) => fs.readFileSync(new URL(e.file, dir), 'utf8');

  it('has the required templates in Dutch and English, each with few values', () => {
    const names = catalog.map((e) => `${e.language}:${e.kind}:${e.name}`);
    for (const n of ['nl:letter:uitnodiging', 'en:letter:invitation', 'nl:letter:besluit', 'en:letter:decision', 'nl:report:rapportage', 'en:report:report', 'nl:email:e-mail', 'en:email:email']) {
      expect(names).toContain(n);
    }
    for (const e of catalog) expect(Object.keys(e.values).length).toBeLessThanOrEqual(4);
  });

  it.each(catalog.map((e) => [e.name, e] as const))('%s parses, uses only case-facing or listed values, and renders', (_name, e) => {
    const t = parseTemplate(sourceOf(e), e.name);
    const used = placeholderNames(t);
    for (const name of used) expect(CASE_FACING_PLACEHOLDERS.includes(name) || name in e.values, `{{${name}}} in ${e.file}`).toBe(true);
    // Every listed value is used, so the manifest does not ask for things the text ignores.
    for (const key of Object.keys(e.values)) expect(used, `${key} in ${e.file}`).toContain(key);
    expect(used).toContain('worker.name');
    expect(used).toContain('case.reference');
    expect(used).toContain('team.phone');
    expect(used).toContain('team.email');

    const values = { ...CASE_VALUES, ...Object.fromEntries(Object.keys(e.values).map((k) => [k, `waarde-${k}`])) };
    const { text } = renderTemplate(t, values, { escape: escapeForTemplate(e.file) });
    expect(text).not.toContain('{{');
    for (const k of Object.keys(e.values)) expect(text).toContain(escapeMarkdown(`waarde-${k}`));
    expect(text).toContain('Eva Smit');
  });

  it.each(catalog.filter((e) => e.kind === 'letter').map((e) => [e.name, e] as const))('letter %s has the address block, date, reference, salutation and contact line', (_n, e) => {
    const lines = sourceOf(e).split('\n');
    expect(lines.slice(0, 2)).toEqual(['{{team.name}}', '{{team.address}}']);
    expect(lines).toContain('{{today}}');
    expect(lines).toContain(e.language === 'nl' ? 'Kenmerk: {{case.reference}}' : 'Reference: {{case.reference}}');
    expect(lines).toContain(e.language === 'nl' ? 'Geachte ouder(s)/verzorger(s),' : 'Dear parent(s)/carer(s),');
  });

  it('keeps hostile values inert in every built-in Markdown template', () => {
    for (const e of catalog) {
      const t = parseTemplate(sourceOf(e), e.name);
      const hostile = '<script>alert(1)</script>\n# kop\n[link](https://example.com) **vet**';
      const values = { ...CASE_VALUES, ...Object.fromEntries(Object.keys(e.values).map((k) => [k, hostile])) };
      const html = toHtml(renderTemplate(t, values, { escape: escapeMarkdown }).text);
      expect(html, e.name).not.toMatch(/<script|>link<|<strong>vet|<h\d>kop/u);
      expect(html, e.name).toContain('&lt;script&gt;');
    }
  });

  it('puts the invitation at the given location, and says so', () => {
    const e = catalogEntry(catalog, 'uitnodiging');
    const text = renderTemplate(parseTemplate(sourceOf(e), e.name), {
      ...CASE_VALUES,
      onderwerp: 'de afspraken over school',
      datum: 'dinsdag 1 december 2026',
      tijd: '14.00 uur',
      locatie: 'Politiebureau Centrum, Hoofdstraat 1, Amsterdam',
    }, { escape: escapeMarkdown }).text;
    expect(text).toContain('**Waar:** Politiebureau Centrum, Hoofdstraat 1, Amsterdam');
    expect(text).toContain('**Wanneer:** dinsdag 1 december 2026 om 14.00 uur');
    expect(text).toMatch(/op deze plek en nergens anders/u);
    expect(e.values.locatie).toMatch(/nooit het huisadres/u);
  });
});
