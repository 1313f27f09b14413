// Unit tests of the seen-text pass (src/core/visual-text.ts): what each class
// of hidden spelling becomes, that every offset maps back into the original,
// that plain text is passed on untouched, and the glued-name index forms.
// Invented people only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFUSABLES } from '../../src/core/confusables-table.js';
import { GLUED_HIGH_LENGTH, LEAK_FORMS_VERSION, workerForms } from '../../src/core/leak-forms.js';
import { tokenize } from '../../src/core/leak-tokens.js';
import { needsVisualPass, origEnd, origStart, seen, seenText, VisualMap } from '../../src/core/visual-text.js';
import { validateWorker } from '../../src/core/worker-fields.js';

const words = (s: string) => tokenize(seen(s));

describe('seen text: look-alikes and compatibility forms', () => {
  it('maps Cyrillic, Greek, Cherokee and Latin-IPA look-alikes to the Latin letter they read as', () => {
    expect(words('Verb\u0435\u0435k')).toEqual(['verbeek']); // Cyrillic е
    expect(words('\u041C\u0430rjolein')).toEqual(['marjolein']); // Cyrillic М, а
    expect(words('Marj\u03BFle\u03B9n')).toEqual(['marjolein']); // Greek ο, ι
    expect(words('\u13A0irk')).toEqual(['dirk']); // Cherokee Ꭰ
    expect(words('Fr\u0251nk')).toEqual(['frank']); // Latin alpha
    expect(words('\u0406rene \u0399rene')).toEqual(['irene', 'irene']); // capital I look-alikes read as I, not l
    expect(words('\u041D\u041E\u0415\u039A\u0405\u0422R\u0410')).toEqual(['hoekstra']); // capitals: Cyrillic Н О Е Ѕ Т А, Greek Κ
    expect(words('\u0420\u0430\u0443l')).toEqual(['payl']); // Cyrillic Р reads as P, not R: "Раул" is not "Raul"
  });

  it('folds full-width letters, mathematical alphanumerics and ligatures (NFKC)', () => {
    expect(words('\uFF2A\uFF4F\uFF4F\uFF53\uFF54')).toEqual(['joost']);
    expect(words('\u{1D409}\u{1D428}\u{1D428}\u{1D42C}\u{1D42D}')).toEqual(['joost']);
    expect(words('\u{1D4BF}oost')).toEqual(['joost']); // script J
    expect(words('Sto\uFB00els \uFB01ona')).toEqual(['stoffels', 'fiona']);
  });

  it('leaves Dutch and other Latin diacritics to the tokenizer, as before', () => {
    expect(seen('Chloë Özdemir Ĳsselmeer coöperatie')).toBe('Chloë Özdemir Ĳsselmeer coöperatie'.replace('Ĳ', 'IJ'));
    expect(words('Chloë Özdemir')).toEqual(['chloe', 'ozdemir']);
  });

  it('has a table of letters only, each reading as lower-case Latin letters or digits', () => {
    const entries = CONFUSABLES.split('|');
    expect(entries.length).toBeGreaterThan(400);
    for (const e of entries) {
      const [c, ...rest] = [...e];
      expect(c, e).toMatch(/^\p{L}$/u);
      expect(c!.codePointAt(0)).toBeGreaterThan(0x7f);
      expect(rest.join(''), e).toMatch(/^[a-z0-9]{1,3}$/u);
    }
  });
});

describe('seen text: invisible characters, dashes, digits', () => {
  it('removes bidi controls, zero-width characters, soft hyphens, variation selectors and tags, and reports the ones that matter', () => {
    const t = seenText('Ma\u200Brj\u00ADolein \u202EVer\u2060beek\u202C\uFE0F \u{E0041}x');
    expect(t.text).toBe('Marjolein Verbeek x');
    expect(t.hidden.map((h) => [h.kind, h.code])).toEqual([
      ['zero-width', 0x200b],
      ['bidi', 0x202e],
      ['zero-width', 0x2060],
      ['bidi', 0x202c],
      ['tag', 0xe0041],
    ]);
  });

  it('does not report the tag characters of an emoji flag, nor joiners inside emoji', () => {
    expect(seenText('\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} en \u{1F468}\u200D\u{1F469}').hidden).toEqual([]);
  });

  it('turns every hyphen and dash into "-", every space into " ", and digits of any script into ASCII', () => {
    expect(seen('06\u20112837\u20104651 \u2013 06\u22121 \uFE63\uFF0D\u2012\u2014\u2015')).toBe('06-2837-4651 - 06-1 -----');
    expect(seen('06\u2009\u202F\u00A0\u2007x')).toBe('06    x');
    expect(seen('\u0660\u0666 \u06F1\u06F2 \u0966\u096F \uFF10\uFF19 \u{1D7CE}\u{1D7D7}')).toBe('06 12 09 09 09');
  });
});

describe('seen text: patterns over several characters', () => {
  it('joins a word broken at a line end, but not a double surname or a compound with a capital', () => {
    expect(seen('Ruud Verhoe-\nven')).toBe('Ruud Verhoeven');
    expect(seen('Ruud Verhoe- \r\n  ven')).toBe('Ruud Verhoeven');
    expect(seen('Ruud Verhoe\u00AD\nven')).toBe('Ruud Verhoeven');
    expect(seen('Ruud Verhoe\u2010\nven')).toBe('Ruud Verhoeven');
    expect(seen('Sanne Hoekstra-\nDijkman')).toBe('Sanne Hoekstra-\nDijkman');
    expect(seen('Noord-\nHolland')).toBe('Noord-\nHolland');
    expect(seen('tel. 06-\n28374651')).toBe('tel. 06-\n28374651'); // not a word
  });

  it('collapses letter-spaced words of three letters or more, with any space, but not initials or two letters', () => {
    expect(seen('W o u t e r s.')).toBe('Wouters.');
    expect(seen('J o o s t  W o u t e r s')).toBe('Joost  Wouters');
    expect(seen('W\u2009o\u00A0u\u202Ft e r s')).toBe('Wouters');
    expect(seen('J. K. de Boer, J K de Boer, P.J.K. Smit')).toBe('J. K. de Boer, J K de Boer, P.J.K. Smit');
    expect(seen("van 't Hof, a en b")).toBe("van 't Hof, a en b");
  });

  it('reads through emphasis marks inside a word; an underscore in a handle stays', () => {
    expect(seen('Mar**jolein** Ver~~bee~~k')).toBe('Marjolein** Verbeek');
    expect(seen('Marjolein _Ver_beek')).toBe('Marjolein Verbeek');
    expect(seen('@jan_smit')).toBe('@jan_smit');
  });

  it('decodes percent-escapes inside web addresses only', () => {
    expect(seen('https://x.example/?n=%4D%61rjolein%20Verbeek')).toBe('https://x.example/?n=Marjolein Verbeek');
    expect(seen('www.x.example/%D0%B0nna')).toBe('www.x.example/anna'); // a Cyrillic а, encoded
    expect(seen('korting 50%25 op %4D')).toBe('korting 50%25 op %4D');
    expect(seen('https://x.example/%FF%FE')).toBe('https://x.example/%FF%FE'); // not UTF-8: as written
  });
});

describe('seen text: offsets map back into the original', () => {
  it('maps starts and ends around removed and replaced characters', () => {
    const orig = 'Zie Ma\u200Brjolein Verb\u0435ek-\nje en \uFB01ona.';
    const t = seenText(orig);
    expect(t.text).toBe('Zie Marjolein Verbeekje en fiona.');
    const range = (word: string) => {
      const s = t.text.indexOf(word);
      return orig.slice(origStart(t, s), origEnd(t, s + word.length));
    };
    expect(range('Marjolein')).toBe('Ma\u200Brjolein');
    expect(range('Verbeekje')).toBe('Verb\u0435ek-\nje');
    expect(range('fiona')).toBe('\uFB01ona');
    expect(range('fi')).toBe('\uFB01');
    expect(range('Zie')).toBe('Zie');
  });

  /** Pieces of text from every class, for random documents. */
  const PARTS = ['a', 'Jan', ' ', '\n', '-', '-\n', 'x-\nyz', '\u00AD\n', '\u200B', '\u202E', '\u0435', '\uFF2A', '\uFB01', '\u{1D409}', '\u2011', '\u0660', 'é', 'e\u0301', 'a b c', '%4D%61', 'https://q.example/', '**', '_', '\u{E0041}', '\u{1F3F4}'];

  it('every seen piece comes from an ordered, in-bounds range of the original (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PARTS), { maxLength: 30 }), (parts) => {
        const orig = parts.join('');
        const t = seenText(orig);
        let prev = 0;
        for (let i = 0; i < t.text.length; i++) {
          const s = origStart(t, i);
          const e = origEnd(t, i + 1);
          expect(s).toBeGreaterThanOrEqual(prev);
          expect(e).toBeGreaterThan(s);
          expect(e).toBeLessThanOrEqual(orig.length);
          prev = s;
        }
        // Characters kept as they are map onto themselves.
        for (let i = 0; i < t.text.length; i++) {
          const s = origStart(t, i);
          if (origEnd(t, i + 1) - s === 1 && t.text[i] === orig[s]) continue;
          expect(t.pieces, orig).not.toBeNull();
        }
      }),
    );
  });

  it('passes plain ASCII text without the patterns through untouched (the fast path)', () => {
    const text = 'Beste ouders, hierbij de afspraak van dinsdag 09:00-10:00 met mevrouw Smit.\nGroet, Team Zuid';
    expect(needsVisualPass(text)).toBe(false);
    expect(seenText(text)).toEqual({ text, pieces: null, hidden: [] });
  });

  it('maps offsets across chunks fed one after another', () => {
    const m = new VisualMap();
    const a = m.push('Beste Ma\u200Brjolein, ');
    const b = m.push('en Verb\u0435ek.');
    const whole = a + b;
    expect(whole).toBe('Beste Marjolein, en Verbeek.');
    const at = whole.indexOf('Verbeek');
    expect(m.toOrigStart(at)).toBe('Beste Ma\u200Brjolein, en '.length);
    expect(m.toOrigEnd(at + 7)).toBe('Beste Ma\u200Brjolein, en Verb\u0435ek'.length);
    expect(m.hidden).toEqual([{ kind: 'zero-width', offset: 8, code: 0x200b }]);
    expect(m.transformed).toBe(true);
  });
});

describe('index forms: glued full names (LEAK_FORMS_VERSION 2)', () => {
  const worker = (first: string, prefix: string, last: string) =>
    validateWorker({ first_name: first, prefix, last_name: last, initials: '', email: '', phone: '', employee_no: '', team: '' });

  it('is version 2', () => {
    expect(LEAK_FORMS_VERSION).toBe(2);
  });

  it('adds first name + surname as one word, high when long enough, low when short', () => {
    const forms = workerForms(worker('Marjolein', '', 'Verbeek'));
    expect(forms).toContainEqual({ kind: 'full-name', confidence: 'high', tokens: ['marjoleinverbeek'] });
    const short = workerForms(worker('Jan', '', 'Smit'));
    expect('jansmit'.length).toBeLessThan(GLUED_HIGH_LENGTH);
    expect(short).toContainEqual({ kind: 'full-name', confidence: 'low', tokens: ['jansmit'] });
  });

  it('glues with and without the prefix, all first names or the first one, never initials', () => {
    const forms = workerForms(worker('Pieter Jan', 'van der', 'Berg')).filter((f) => f.tokens.length === 1 && f.kind === 'full-name');
    expect(forms.map((f) => f.tokens[0]).sort()).toEqual(['pieterberg', 'pieterjanberg', 'pieterjanvanderberg', 'pietervanderberg']);
  });

  it('reads a name in the vault as seen: a look-alike letter there is the Latin letter', () => {
    const forms = workerForms(worker('Marjolein', '', 'Verb\u0435ek'));
    expect(forms).toContainEqual({ kind: 'full-name', confidence: 'high', tokens: ['marjolein', 'verbeek'] });
  });
});
