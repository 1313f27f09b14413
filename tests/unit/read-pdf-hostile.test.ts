// PDFs written the way other tools (or an adversary) write them must read as a
// person sees them: letter spacing, per-glyph kerning, glyphs drawn out of
// order, /ActualText, and text off the page or invisible (issue #14). Each
// fixture is built from raw content-stream operators (tests/helpers/hostile-pdf.ts).
// Names are invented.
import { describe, expect, it } from 'vitest';
import { readerNotes, readerNotices } from '../../src/formats/notes.js';
import { readPdf } from '../../src/formats/read-pdf.js';
import type { TextSegment } from '../../src/formats/segments.js';
import { glyphByGlyph, glyphPositions, hostilePdf, lit, seeded, shuffled, utf16, type Kit, type PageSpec } from '../helpers/hostile-pdf.js';

const text = (s: TextSegment) => (typeof s.text === 'string' ? s.text : '');

/** The lines at `location` (text segments only), white space collapsed. */
function linesAt(segments: TextSegment[], location: string): string[] {
  return segments
    .filter((s) => s.location === location && !('note' in s))
    .flatMap((s) => text(s).split('\n'))
    .map((l) => l.replace(/\s+/gu, ' ').trim());
}

/** True when `name` stands as whole words on one line of `location`. */
function hasName(segments: TextSegment[], location: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&').replace(/ /gu, '\\s+');
  const re = new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'u');
  return linesAt(segments, location).some((l) => re.test(l));
}

async function read(build: (kit: Kit) => (PageSpec | string)[]): Promise<TextSegment[]> {
  return readPdf(await hostilePdf(build), 'vijandig.pdf');
}

describe('letter-spaced text (Tc, Tw, one glyph per show)', () => {
  for (const tc of [0.5, 1.5, 3, 6, 10]) {
    it(`reads a name set with ${tc} pt character spacing as words`, async () => {
      const segments = await read(() => [`BT /F1 12 Tf ${tc} Tc 72 700 Td ${lit('Geachte Wobbe Zijlstra,')} Tj ET`]);
      expect(hasName(segments, 'page 1', 'Wobbe Zijlstra')).toBe(true);
      expect(linesAt(segments, 'page 1')).toEqual(['Geachte Wobbe Zijlstra,']);
    });
  }

  it('reads a letter-spaced name inside a line of ordinary text', async () => {
    const segments = await read(() => [
      `BT /F1 11 Tf 72 700 Td ${lit('Uw contactpersoon is ')} Tj 4 Tc ${lit('Femke Oudshoorn')} Tj 0 Tc ${lit(' van team Noord.')} Tj ET`,
    ]);
    expect(hasName(segments, 'page 1', 'Femke Oudshoorn')).toBe(true);
    expect(hasName(segments, 'page 1', 'Uw contactpersoon is')).toBe(true);
  });

  it('reads a name drawn one glyph per Tj with character spacing', async () => {
    const shows = [...'Renske Brouwer'].map((ch) => `${lit(ch)} Tj`).join(' ');
    const segments = await read(() => [`BT /F1 12 Tf 2.5 Tc 72 700 Td ${shows} ET`]);
    expect(hasName(segments, 'page 1', 'Renske Brouwer')).toBe(true);
  });

  it('keeps words apart under wide word spacing (Tw) and horizontal scaling (Tz)', async () => {
    const segments = await read(() => [
      `BT /F1 12 Tf 25 Tw 72 700 Td ${lit('Hidde Lankhorst')} Tj ET`,
      `BT /F1 12 Tf 60 Tz 1 Tc 72 700 Td ${lit('Joke Spanjaard-Kuiper')} Tj ET`,
    ]);
    expect(hasName(segments, 'page 1', 'Hidde Lankhorst')).toBe(true);
    expect(hasName(segments, 'page 2', 'Joke Spanjaard-Kuiper')).toBe(true);
  });
});

describe('per-glyph kerning in TJ arrays', () => {
  it('joins letters under small kerning and splits words at large adjustments', async () => {
    const segments = await read(() => [
      `BT /F1 12 Tf 72 700 Td [(G) -20 (e) 15 (r) -10 (l) 30 (o) -25 (f) ( ) (T) 40 (j) -15 (o) 10 (e) -20 (l) (k) 5 (e) -5 (r)] TJ ET`,
    ]);
    expect(hasName(segments, 'page 1', 'Gerlof Tjoelker')).toBe(true);
  });

  it('reads uniform large negative kerning (letter-spaced by TJ) with wider gaps between words', async () => {
    const tj = (word: string) => [...word].map((ch) => lit(ch)).join(' -450 ');
    const segments = await read(() => [`BT /F1 12 Tf 72 700 Td [${tj('Sietske')} -1400 ${tj('Hoogeveen')}] TJ ET`]);
    expect(hasName(segments, 'page 1', 'Sietske Hoogeveen')).toBe(true);
  });

  for (const seed of [1, 2, 3]) {
    it(`reads random per-glyph kerning of 0.05 to 0.22 em inside words (seed ${seed})`, async () => {
      const random = seeded(seed);
      const tj = (word: string) => [...word].map((ch) => lit(ch)).join(` ${-Math.round(50 + random() * 170)} `);
      const gap = () => -Math.round(900 + random() * 600);
      const segments = await read(() => [`BT /F1 12 Tf 72 700 Td [${tj('Dirkje')} ${gap()} ${tj('van')} ${gap()} ${tj('Wieringen')}] TJ ET`]);
      expect(hasName(segments, 'page 1', 'Dirkje van Wieringen')).toBe(true);
    });
  }

  it('reads positive kerning that pulls letters over each other', async () => {
    const segments = await read(() => [`BT /F1 12 Tf 72 700 Td [(A) 120 (l) 90 (b) 150 (e) 60 (r) 110 (t) ( ) (M) 80 (e) 120 (i) 90 (j) 100 (e) 70 (r)] TJ ET`]);
    expect(hasName(segments, 'page 1', 'Albert Meijer')).toBe(true);
  });
});

describe('text drawn out of order', () => {
  it('reads a surname drawn before the first name in the order of the page', async () => {
    const segments = await read((kit) => [
      `BT /F1 12 Tf 1 0 0 1 ${(72 + kit.width('Baukje ', 12)).toFixed(3)} 700 Tm ${lit('Terpstra')} Tj 1 0 0 1 72 700 Tm ${lit('Baukje')} Tj ET`,
    ]);
    expect(linesAt(segments, 'page 1')).toEqual(['Baukje Terpstra']);
  });

  it('reads glyphs drawn right to left', async () => {
    const segments = await read((kit) => [glyphByGlyph(kit, 'Marijke Oosterhout', 72, 700, 12, (g) => [...g].reverse())]);
    expect(linesAt(segments, 'page 1')).toEqual(['Marijke Oosterhout']);
  });

  for (const seed of [7, 8, 9, 10]) {
    it(`reads glyphs drawn in random order (seed ${seed})`, async () => {
      const segments = await read((kit) => [
        glyphByGlyph(kit, 'Tjitske de Haan-Veenstra', 90, 512, 11, (g) => shuffled(g, seeded(seed))),
      ]);
      expect(linesAt(segments, 'page 1')).toEqual(['Tjitske de Haan-Veenstra']);
    });
  }

  it('reads glyphs placed with relative moves (Td) and a transformed coordinate system (cm)', async () => {
    const segments = await read((kit) => {
      const glyphs = shuffled(glyphPositions(kit, 'Anouk Wiersma', 0, 10).filter((g) => g.ch !== ' '), seeded(4));
      let pen = 0;
      const moves = glyphs.map((g) => {
        const move = `${(g.x - pen).toFixed(3)} 0 Td ${lit(g.ch)} Tj`;
        pen = g.x;
        return move;
      });
      return [`q 1.2 0 0 1.2 100 300 cm BT /F1 10 Tf ${moves.join(' ')} ET Q`];
    });
    expect(linesAt(segments, 'page 1')).toEqual(['Anouk Wiersma']);
  });

  it('puts lines in reading order whatever order they are drawn in, and keeps the drawing order as a second reading', async () => {
    const segments = await read(() => [
      `BT /F1 12 Tf 72 660 Td ${lit('derde regel')} Tj ET BT /F1 12 Tf 72 700 Td ${lit('eerste regel')} Tj ET BT /F1 12 Tf 72 680 Td ${lit('tweede regel')} Tj ET`,
    ]);
    expect(linesAt(segments, 'page 1')).toEqual(['eerste regel', 'tweede regel', 'derde regel']);
    expect(linesAt(segments, 'page 1 (drawing order)')).toEqual([]); // the same lines: read once
  });

  it('drops a glyph drawn twice over itself (fake bold)', async () => {
    const segments = await read(() => [`BT /F1 12 Tf 72 700 Td ${lit('Lieke Groen')} Tj ET BT /F1 12 Tf 72.4 700 Td ${lit('Lieke Groen')} Tj ET`]);
    expect(linesAt(segments, 'page 1')).toEqual(['Lieke Groen']);
  });
});

describe('/ActualText', () => {
  it('reads ActualText of a marked span over other glyphs, in plain and deflated content streams', async () => {
    for (const compress of [false, true]) {
      const segments = await read(() => [
        { content: `BT /F1 12 Tf 72 700 Td /Span << /ActualText ${lit('Evert Bosma')} >> BDC ${lit('XXXXXXXX')} Tj EMC ET`, compress },
      ]);
      expect(linesAt(segments, 'page 1')).toEqual(['XXXXXXXX']);
      expect(hasName(segments, 'actual-text', 'Evert Bosma')).toBe(true);
    }
  });

  it('reads UTF-16 ActualText with diacritics, and a name split over two spans', async () => {
    const segments = await read(() => [
      {
        content:
          `BT /F1 12 Tf 72 700 Td /Span << /ActualText ${utf16('Chloë Vermeulen-Öztürk')} >> BDC (----) Tj EMC ET ` +
          `BT /F1 12 Tf 72 680 Td /Span << /ActualText ${lit('Ger')} >> BDC (a) Tj EMC /Span << /ActualText ${lit('rit Knol')} >> BDC (b) Tj EMC ET`,
        compress: true,
      },
    ]);
    expect(hasName(segments, 'actual-text', 'Chloë Vermeulen-Öztürk')).toBe(true);
    expect(hasName(segments, 'actual-text', 'Gerrit Knol')).toBe(true);
  });

  it('reads /E and /Alt replacement texts', async () => {
    const segments = await read(() => [
      `BT /F1 12 Tf 72 700 Td /Span << /E ${lit('Pieternel Dijkstra')} >> BDC (P.D.) Tj EMC /Figure << /Alt ${lit('Handtekening Bart Kramer')} >> BDC EMC ET`,
    ]);
    expect(hasName(segments, 'actual-text', 'Pieternel Dijkstra')).toBe(true);
    expect(hasName(segments, 'attribute:alt', 'Bart Kramer')).toBe(true);
  });
});

describe('text nobody sees', () => {
  const cases: [string, string][] = [
    ['far to the left', '-5000 700 Td'],
    ['far above', '72 20000 Td'],
    ['below the page', '72 -300 Td'],
    ['to the right', '900 400 Td'],
  ];
  for (const [where, move] of cases) {
    it(`scans text placed ${where} of the page as its own part, with a notice`, async () => {
      const segments = await read(() => [
        'BT /F1 12 Tf 72 700 Td (Geachte ouders,) Tj ET',
        `BT /F1 12 Tf 72 700 Td (Tweede blad) Tj ET BT /F1 12 Tf ${move} ${lit('Ymke Hettinga')} Tj ET`,
      ]);
      expect(linesAt(segments, 'page 2')).toEqual(['Tweede blad']);
      expect(hasName(segments, 'page 2 (outside the visible page)', 'Ymke Hettinga')).toBe(true);
      expect(readerNotices(segments)).toEqual([
        { location: 'page 2 (outside the visible page)', note: 'vijandig.pdf: page 2 has text outside the visible page (1 line); it was scanned' },
      ]);
      expect(readerNotes(segments)).toEqual([]); // checked: not "not checked"
    });
  }

  it('counts text inside the media box but outside the crop box as outside the visible page', async () => {
    const segments = await read(() => [
      { content: `BT /F1 12 Tf 72 700 Td (Brief) Tj ET BT /F1 12 Tf 20 20 Td ${lit('Jelmer Postma')} Tj ET`, cropBox: [50, 50, 545, 792] },
    ]);
    expect(linesAt(segments, 'page 1')).toEqual(['Brief']);
    expect(hasName(segments, 'page 1 (outside the visible page)', 'Jelmer Postma')).toBe(true);
  });

  it('scans white, invisible-mode and tiny text with the page, and says so', async () => {
    const segments = await read(() => [
      `BT /F1 12 Tf 72 700 Td (Wit:) Tj 1 1 1 rg 40 0 Td ${lit(' Harmke Visscher')} Tj ET`,
      `BT /F1 12 Tf 3 Tr 72 700 Td ${lit('Onno Rijpma')} Tj ET`,
      `BT /F1 0.4 Tf 72 700 Td ${lit('Wietske Bergsma')} Tj ET`,
    ]);
    expect(hasName(segments, 'page 1', 'Harmke Visscher')).toBe(true);
    expect(hasName(segments, 'page 2', 'Onno Rijpma')).toBe(true);
    expect(hasName(segments, 'page 3', 'Wietske Bergsma')).toBe(true);
    expect(readerNotices(segments).map((n) => n.location)).toEqual(['page 1', 'page 2', 'page 3']);
    expect(readerNotices(segments)[1]!.note).toBe(
      'vijandig.pdf: page 2 has text nobody can see (10 characters in white, in an invisible mode or under 1 pt); it was scanned with the page',
    );
  });

  it('does not call a page with only off-page text a page without text', async () => {
    const segments = await read(() => [`BT /F1 12 Tf -4000 -4000 Td ${lit('Doutzen Algra')} Tj ET`]);
    expect(hasName(segments, 'page 1 (outside the visible page)', 'Doutzen Algra')).toBe(true);
    expect(readerNotes(segments)).toEqual([]);
  });
});
