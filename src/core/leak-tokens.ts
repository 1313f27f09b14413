// Streaming tokenizer for leak scanning. Splits text into word tokens,
// normalised so that spelling variants meet: case folded, diacritics stripped,
// ligatures expanded; soft hyphens and zero-width characters inside a word are
// ignored; letters and digits split ("P10231" -> "p", "10231"). Every token
// keeps its offset, line and column in the original text. Pure: no I/O.

export interface Token {
  /** Normalised form: "özdemir" -> "ozdemir", "IJzerman" -> "ijzerman". */
  norm: string;
  start: number;
  end: number;
  line: number;
  column: number;
  /** A comma stood between this token and the one before ("Berg, P.J."). */
  afterComma: boolean;
}

const enum C {
  Sep = 0,
  Letter = 1,
  Digit = 2,
  Skip = 3,
}

const SKIP = new Set([0x00ad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);
const classes = new Uint8Array(0x10000);
const known = new Uint8Array(0x10000);
for (let c = 0x30; c <= 0x39; c++) (classes[c] = C.Digit), (known[c] = 1);
for (let c = 0x41; c <= 0x5a; c++) (classes[c] = C.Letter), (known[c] = 1);
for (let c = 0x61; c <= 0x7a; c++) (classes[c] = C.Letter), (known[c] = 1);
for (let c = 0; c < 0x80; c++) known[c] = 1;

function classOf(code: number): number {
  if (code < 0x10000 && known[code]) return classes[code]!;
  let k: number = C.Sep;
  const ch = String.fromCodePoint(code);
  if (SKIP.has(code)) k = C.Skip;
  else if (/\p{N}/u.test(ch)) k = C.Digit;
  else if (/[\p{L}\p{M}]/u.test(ch)) k = C.Letter;
  if (code < 0x10000) {
    classes[code] = k;
    known[code] = 1;
  }
  return k;
}

const SPECIAL_FOLDS: Record<string, string> = { ß: 'ss', ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', đ: 'd', ı: 'i', þ: 'th' };

/** Case fold, strip diacritics, expand ligatures. ASCII takes the fast path. */
export function normaliseToken(raw: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/u.test(raw)) return raw.toLowerCase();
  return raw
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßøæœłđıþ]/gu, (c) => SPECIAL_FOLDS[c] ?? c);
}

/** Tokenises text fed in chunks; tokens are emitted in order through `emit`. */
export class Tokenizer {
  private offset = 0;
  private line = 1;
  private column = 1;
  // The token being built (it may continue in the next chunk).
  private raw = '';
  private rawAscii = true;
  private rawClass: number = C.Sep;
  private tokStart = 0;
  private tokLine = 1;
  private tokColumn = 1;
  private comma = false; // a comma in the separators since the last token
  private tokComma = false;
  private pendingHigh = ''; // a high surrogate at the end of a chunk waits for its pair

  constructor(private readonly emit: (t: Token) => void) {}

  private flush(): void {
    if (this.raw !== '') {
      const norm = this.rawAscii ? this.raw.toLowerCase() : normaliseToken(this.raw);
      this.emit({ norm, start: this.tokStart, end: this.offset, line: this.tokLine, column: this.tokColumn, afterComma: this.tokComma });
      this.raw = '';
      this.comma = false;
    }
    this.rawAscii = true;
    this.rawClass = C.Sep;
  }

  feed(input: string): void {
    let chunk = this.pendingHigh + input;
    this.pendingHigh = '';
    const lastCode = chunk.charCodeAt(chunk.length - 1);
    if (lastCode >= 0xd800 && lastCode <= 0xdbff) {
      this.pendingHigh = chunk.slice(-1);
      chunk = chunk.slice(0, -1);
    }
    let runStart = -1; // start of a run of token characters in this chunk not yet copied to raw
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      let code = chunk.charCodeAt(i);
      let width = 1;
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
        code = chunk.codePointAt(i)!;
        width = 2;
      }
      const k = classOf(code);
      if (k === C.Letter || k === C.Digit) {
        if (this.rawClass !== C.Sep && this.rawClass !== k) {
          // letter <-> digit boundary: a new token
          if (runStart >= 0) this.raw += chunk.slice(runStart, i);
          runStart = -1;
          this.flush();
        }
        if (this.raw === '' && runStart < 0) {
          this.tokStart = this.offset;
          this.tokLine = this.line;
          this.tokColumn = this.column;
          this.tokComma = this.comma;
        }
        if (runStart < 0) runStart = i;
        if (code >= 0x80) this.rawAscii = false;
        this.rawClass = k;
      } else if (k === C.Skip) {
        // invisible joiner: drop it, the word goes on
        if (runStart >= 0) this.raw += chunk.slice(runStart, i);
        runStart = -1;
      } else {
        if (runStart >= 0) this.raw += chunk.slice(runStart, i);
        runStart = -1;
        this.flush();
        if (code === 0x2c) this.comma = true;
      }
      if (code === 0x0a) {
        this.line++;
        this.column = 1;
      } else this.column += 1;
      this.offset += width;
      if (width === 2) i++;
    }
    if (runStart >= 0) this.raw += chunk.slice(runStart);
  }

  end(): void {
    if (this.pendingHigh) {
      const rest = this.pendingHigh;
      this.pendingHigh = '';
      this.feed(rest + ' ');
    }
    this.flush();
  }

  /** Line and column where the next character would be. */
  position(): { offset: number; line: number; column: number } {
    return { offset: this.offset, line: this.line, column: this.column };
  }
}

/** All tokens of a string, for building index forms and for tests. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const t = new Tokenizer((tok) => out.push(tok.norm));
  t.feed(text);
  t.end();
  return out;
}
