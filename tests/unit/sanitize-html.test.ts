// The allow-list every HTML letter passes (src/formats/sanitize-html.ts):
// active content is refused, everything else not allowed is removed and
// named, what a letter needs is kept, and whatever goes in, the output holds
// only allowed elements and attributes.
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { cleanCss, describeIssues, LETTER_CSP, sanitizeHtml, type SanitizeIssue } from '../../src/formats/sanitize-html.js';

const OPTIONS = { language: 'nl', title: 'brief' };

async function run(html: string) {
  const r = await sanitizeHtml(html, OPTIONS);
  const lineOf = (offset: number) => html.slice(0, offset).split('\n').length;
  return { ...r, refused: r.issues.filter((i) => i.action === 'refused').map((i) => `${i.what} @${lineOf(i.offset)}`), removed: r.issues.filter((i) => i.action === 'removed').map((i) => `${i.what} @${lineOf(i.offset)}`) };
}

/** Every element and attribute in the output, as htmlparser2 (and so the leak gate) reads it. */
function inventory(html: string): { elements: Set<string>; attributes: Set<string>; values: string[]; styles: string[] } {
  const elements = new Set<string>();
  const attributes = new Set<string>();
  const values: string[] = [];
  const styles: string[] = [];
  const p = new Parser(
    {
      onopentag(name, attrs) {
        elements.add(name);
        for (const [k, v] of Object.entries(attrs)) {
          attributes.add(`${name}@${k}`);
          values.push(v);
          if (k === 'style') styles.push(v);
        }
      },
    },
    { decodeEntities: true },
  );
  p.end(html);
  return { elements, attributes, values, styles };
}

describe('sanitizeHtml: active content refuses the template', () => {
  const REFUSED: [string, string, RegExp][] = [
    ['<script>', '<p>Hallo</p>\n<script>document.title = "x"</script>', /^<script> @2$/u],
    ['an event handler', '<p>Hallo</p>\n<p onclick="alert(1)">klik</p>', /^onclick attribute @2$/u],
    ['an event handler on <body>', '<body onload="x()"><p>Hallo</p></body>', /^onload attribute @1$/u],
    ['a javascript: link, with a tab and entities inside the scheme', '<a href=" jav&#x09;ascript&colon;alert(1)">x</a>', /^javascript: URL in the href attribute @1$/u],
    ['a vbscript: link', '<a href="VBScript:msgbox(1)">x</a>', /^vbscript: URL in the href attribute @1$/u],
    ['<iframe>', '<iframe src="https://x.example/"></iframe>', /^<iframe> @1$/u],
    ['<frame>', '<frameset><frame src="a.html"></frameset>', /^<frameset> @1$/u],
    ['<object>', '<object data="x.swf"></object>', /^<object> @1$/u],
    ['<embed>', '<embed src="x.swf">', /^<embed> @1$/u],
    ['<applet>', '<applet code="X.class"></applet>', /^<applet> @1$/u],
    ['<base>', '<head><base href="https://elders.example/"></head><a href="https://x.example/">x</a>', /^<base> @1$/u],
    ['<meta http-equiv=refresh>', '<meta http-equiv="Refresh" content="0; url=https://elders.example/">', /^<meta http-equiv="refresh"> @1$/u],
    ['a form', '<form action="https://elders.example/"><p>Naam: x</p></form>', /^<form> @1$/u],
    ['srcdoc', '<div srcdoc="&lt;script&gt;x&lt;/script&gt;">x</div>', /^srcdoc attribute @1$/u],
    ['SVG with a script', '<svg><script>alert(1)</script></svg>', /^<script> @1$/u],
    ['SVG foreignObject', '<svg><foreignObject><p>x</p></foreignObject></svg>', /^<foreignobject> @1$/u],
    ['SVG animate setting a javascript: href', '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>', /^javascript: URL in the values attribute @1$/u],
    ['a script inside <template>', '<template><script>x()</script></template>', /^<script> @1$/u],
    ['CSS expression()', '<p style="width: expression(alert(1))">x</p>', /^CSS expression\(\) @1$/u],
    ['CSS behavior', '<style>p { behavior: url(x.htc) }</style>', /^CSS behavior @1$/u],
    ['CSS -moz-binding', '<style>\np { -moz-binding: url(x.xml#y) }</style>', /^CSS -moz-binding @2$/u],
    ['a javascript: URL in CSS', '<p style="background: url(javascript:alert(1))">x</p>', /^javascript: URL in the style attribute @1$/u],
  ];
  for (const [what, html, expected] of REFUSED) {
    it(what, async () => {
      const r = await run(html);
      expect(r.refused, JSON.stringify(r.issues)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
    });
  }
});

describe('sanitizeHtml: what a letter does not need is removed and named', () => {
  const REMOVED: [string, string, string, RegExp][] = [
    ['a data: SVG image', '<p>Logo: <img alt="logo" src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="></p>', '<p>Logo: </p>', /^<img> @1$/u],
    ['a remote image (a web beacon)', '<p>x<img src="https://teller.example/p.gif"></p>', '<p>x</p>', /^<img> @1$/u],
    ['a data: link', '<p><a href="data:text/html,&lt;p&gt;x">open</a></p>', '<p><a>open</a></p>', /^data: URL in the href attribute @1$/u],
    ['a file: link', '<p><a href="file:///C:/brieven/x.doc">x</a></p>', '<p><a>x</a></p>', /^href attribute \(not an http\(s\), mailto or tel link\) @1$/u],
    ['a stylesheet <link>', '<head><link rel="stylesheet" href="https://x.example/a.css"></head><p>x</p>', '<p>x</p>', /^<link> @1$/u],
    ['<template>', '<p>a</p><template><p>b</p></template>', '<p>a</p>', /^<template> @1$/u],
    ['<noscript>, even with a "</noscript>" inside an attribute', '<noscript><p title="</noscript><img src=x>">x</p></noscript><p>a</p>', '<p>a</p>', /^<noscript> @1$/u],
    ['inline SVG', '<p>a</p><svg><text>b</text></svg>', '<p>a</p>', /^<svg> @1$/u],
    ['a comment', '<p>a</p><!-- concept -->', '<p>a</p>', /^comment @1$/u],
    ['an unknown element keeps its text', '<p>a <font color="red">b</font> <o:p>c</o:p></p>', '<p>a b c</p>', /^<font> @1$/u],
    ['an unknown attribute', '<p data-x="1" target="_blank">a</p>', '<p>a</p>', /^data-x attribute @1$/u],
    ['a form control', '<p>a<input value="b"><button>c</button></p>', '<p>a</p>', /^<input> @1$/u],
    ['an attribute name with a quote in it', '<p aria-x"onclick=alert(1)>a</p>', '<p>a</p>', /^aria-x"onclick attribute @1$/u],
  ];
  for (const [what, html, body, expected] of REMOVED) {
    it(what, async () => {
      const r = await run(html);
      expect(r.refused).toEqual([]);
      expect(r.removed).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
      expect(r.html).toContain(`<body>\n${body}\n</body>`);
    });
  }

  it('CSS: content, url(), @import, @font-face and quoted text go; colours, fonts, margins and @page stay', async () => {
    const r = await run(
      [
        '<html><head><style>',
        '@import url("https://x.example/a.css");',
        'body { font-family: "DejaVu Serif", serif; color: rgb(20, 20, 20); margin: 0 auto; }',
        'p::after { content: "Groet"; }',
        'div { background: url(data:image/png;base64,AAAA); border: 1px solid #999; }',
        'q { quotes: "x" "y"; }',
        '@font-face { font-family: X; src: url(x.woff); }',
        '@page { size: A4; margin: 25mm; }',
        '@media print { body { margin: 0; } }',
        '</style></head><body><p style="color: red; content: \'x\'">a</p></body></html>',
      ].join('\n'),
    );
    expect(r.refused).toEqual([]);
    expect(r.removed).toEqual(['CSS @import @2', 'CSS content @4', 'CSS url() @5', 'CSS text in quotes (quotes) @6', 'CSS @font-face @7', 'CSS content @10']);
    const style = /<style>\n([\s\S]*?)\n<\/style>/u.exec(r.html)![1]!;
    expect(style).toContain('font-family: "DejaVu Serif", serif');
    expect(style).toContain('color: rgb(20, 20, 20)');
    expect(style).toContain('border: 1px solid #999');
    expect(style).toContain('@page { size: A4; margin: 25mm; }');
    expect(style).toContain('@media print { body { margin: 0; } }');
    expect(style).not.toMatch(/url|content|import|font-face|quotes/u);
    expect(r.html).toContain('<p style="color: red;">a</p>');
  });

  it('CSS it cannot take apart (escapes, "<", strings with braces) is removed whole', () => {
    expect(cleanCss('p { color: re\\64 }', false)).toMatchObject({ css: '', issues: [{ action: 'removed', what: 'CSS with escapes' }] });
    expect(cleanCss('p { font-family: "a}b" }', false).css).toBe('');
    expect(cleanCss('p { font-family: "abc }', false).css).toBe('');
    expect(cleanCss('color: red; } p { color: blue', true).css).toBe('');
  });
});

describe('sanitizeHtml: a letter keeps what it needs', () => {
  it('headings, paragraphs, lists, tables, emphasis, http(s)/mailto/tel links, title, author; a CSP first in <head>', async () => {
    const html = [
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8"><title>Uitnodiging &amp; gesprek</title><meta name="author" content="Team Oost"></head>',
      '<body>',
      '<h1>Uitnodiging</h1>',
      '<p>Beste <strong>ouders</strong>, <em>welkom</em>.<br>Tweede regel &lt;b&gt;.</p>',
      '<ol start="2"><li>een</li><li>twee</li></ol>',
      '<table border="1"><tr><th scope="col">Wat</th></tr><tr><td colspan="2">gesprek</td></tr></table>',
      '<p><a href="https://jz-oost.example/contact">site</a> <a href="mailto:team@jz-oost.example">mail</a> <a href="tel:+31201234567">bel</a> <a href="#boven">boven</a></p>',
      '</body></html>',
    ].join('\n');
    const r = await run(html);
    expect(r.issues).toEqual([]);
    expect(r.html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy"')).toBe(true);
    expect(r.html).toContain(`content="${LETTER_CSP.replace(/'/gu, '&#39;')}"`);
    expect(r.html).toContain('<title>Uitnodiging &amp; gesprek</title>');
    expect(r.html).toContain('<meta name="author" content="Team Oost">');
    expect(r.html).toContain('<p>Beste <strong>ouders</strong>, <em>welkom</em>.<br>Tweede regel &lt;b&gt;.</p>');
    expect(r.html).toContain('<ol start="2"><li>een</li><li>twee</li></ol>');
    expect(r.html).toContain('<td colspan="2">gesprek</td>');
    for (const href of ['https://jz-oost.example/contact', 'mailto:team@jz-oost.example', 'tel:+31201234567', '#boven']) expect(r.html).toContain(`<a href="${href}">`);
  });

  it('a fragment becomes a whole document, titled and in the letter language', async () => {
    const r = await run('<p>Hallo</p>');
    expect(r.html).toBe(
      `<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="${LETTER_CSP.replace(/'/gu, '&#39;')}">\n<title>brief</title>\n</head>\n<body>\n<p>Hallo</p>\n</body>\n</html>\n`,
    );
  });

  it("this tool's own CSP and a Content-Type meta go without a warning", async () => {
    const r = await run(`<head><meta http-equiv="Content-Security-Policy" content="${LETTER_CSP}"><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><p>x</p>`);
    expect(r.issues).toEqual([]);
    expect(r.html.match(/Content-Security-Policy/gu)).toHaveLength(1);
  });
});

describe('describeIssues', () => {
  it('one entry per kind, its lines listed once, at most five', () => {
    const issues: SanitizeIssue[] = [
      { action: 'removed', what: '<script>', offset: 12 },
      { action: 'removed', what: 'comment', offset: 1 },
      ...[2, 3, 3, 4, 5, 6, 7].map((offset) => ({ action: 'removed' as const, what: 'onclick attribute', offset })),
    ];
    expect(describeIssues(issues, (o) => `line ${o}`)).toBe('<script> (line 12), comment (line 1), onclick attribute (line 2, line 3, line 4, line 5 and line 6 and 1 more)');
  });
});

describe('sanitizeHtml: whatever goes in, only allowed elements and attributes come out', () => {
  const PIECES = [
    '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>', '<iframe srcdoc="<p>x"></iframe>',
    '<svg><script>x</script></svg>', '<svg onload=alert(1)>', '<p style="background:url(x)">x</p>', '<style>p{content:"x"}</style>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<a href="https://ok.example/">ok</a>', '<p>Tekst &amp; meer</p>', '<b>vet</b>', '<!-- c -->', '<![CDATA[x]]>', '</p>', '<p', '"', "'", '>', '<',
    '<object data=x>', '<base href=//x>', '<form><button formaction=javascript:x>', '<meta http-equiv=refresh content=0>', '<xmp><script>x</script></xmp>',
    '<template><img src=x></template>', '<a href=" &#14;javascript:x">x</a>', '<table><td>cel', '<plaintext><b>x', '<title>t</title>', '<textarea><script>x</script></textarea>',
  ];
  const ALLOWED_ELEMENTS = new Set([
    'html', 'head', 'body', 'meta', 'title', 'style', 'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'caption',
    'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'blockquote', 'pre', 'address', 'div', 'span', 'section', 'article', 'header', 'footer', 'main',
    'strong', 'b', 'em', 'i', 'u', 's', 'small', 'sub', 'sup', 'mark', 'abbr', 'q', 'cite', 'code', 'time', 'a', 'wbr',
  ]);
  it('random mixes of hostile and ordinary markup', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }), async (parts) => {
        const { html } = await sanitizeHtml(parts.join(''), OPTIONS);
        const inv = inventory(html);
        for (const e of inv.elements) expect(ALLOWED_ELEMENTS.has(e), `element <${e}> in ${html}`).toBe(true);
        for (const a of inv.attributes) expect(/@on/u.test(a), `attribute ${a}`).toBe(false);
        for (const v of inv.values) expect(/javascript:|data:/iu.test(v.replace(/\s/gu, '')), `value ${v}`).toBe(false);
        expect(html).not.toMatch(/<script|<iframe|<img|<svg/iu);
        // CSS that reaches the letter (text that merely reads like CSS is escaped text, and fine).
        const css = [...html.matchAll(/<style>([\s\S]*?)<\/style>/gu)].map((m) => m[1]!).concat(inv.styles);
        for (const c of css) expect(c, `CSS in ${html}`).not.toMatch(/url\(|content\s*:|@import|expression/iu);
      }),
      { numRuns: 500 },
    );
  });
});
